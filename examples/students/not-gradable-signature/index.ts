// Not gradable: the policy has the wrong signature (returns a number, not a Float64Array).
export function gibbsPolicy(theta: Float64Array): number {
  return theta.length;
}
export function gibsScore(theta: Float64Array, a: number): Float64Array {
  return theta.map((_, i) => (i === a ? 1 : 0));
}
