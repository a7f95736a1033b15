/**
 * Adam (Kingma & Ba, 2015), the optimizer of the pretraining stage: per-coordinate steps scaled by running
 * estimates of the gradient's first and second moments, with their bias corrections.
 */

/** Adam's state: the moment estimates and the number of steps taken. */
export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  steps: number;
}

/** Adam's constants; the defaults are the paper's. */
export interface AdamConfig {
  rate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** A fresh state for n parameters. */
export function adamState(n: number): AdamState {
  return { m: new Float64Array(n), v: new Float64Array(n), steps: 0 };
}

/**
 * One ascent step θ ← θ + rate·m̂/(√v̂ + ε) along the gradient estimate g (ascent: the book maximizes),
 * updating θ and the state in place (both belong to the caller's training loop).
 */
export function adamAscend(theta: Float64Array, g: ArrayLike<number>, state: AdamState, config: AdamConfig): void {
  const b1 = config.beta1 ?? 0.9;
  const b2 = config.beta2 ?? 0.999;
  const eps = config.epsilon ?? 1e-8;
  state.steps++;
  const c1 = 1 - b1 ** state.steps;
  const c2 = 1 - b2 ** state.steps;
  for (let i = 0; i < theta.length; i++) {
    state.m[i] = b1 * state.m[i] + (1 - b1) * g[i];
    state.v[i] = b2 * state.v[i] + (1 - b2) * g[i] * g[i];
    theta[i] += (config.rate * (state.m[i] / c1)) / (Math.sqrt(state.v[i] / c2) + eps);
  }
}
