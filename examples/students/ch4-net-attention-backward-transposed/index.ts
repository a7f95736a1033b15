// Mistake: the attention softmax's backward is applied transposed, dsᵢⱼ = aᵢⱼ(daᵢⱼ − Σₖ aₖⱼ daₖⱼ) summed down column j of A instead of along row i, so eq. (29)'s ∇θ ln πθ is wrong in Wq, Wk and every block before them.
// (Each row's Jacobian diag(aᵢ) − aᵢaᵢᵀ is symmetric, so transposing it row by row would change nothing: the mix-up is
// between the rows and the columns of the stacked matrix A. netPolicy and the log-probabilities stay right.)
import type { Chapter4 } from "pgbook/contract";
import {
  addOuter,
  addTo,
  applyT,
  dot,
  flattenWeights,
  logSumExp,
  netPass,
  responseWindows,
  zeroWeights,
  type NetPass,
  type NetWeights,
} from "./correct.ts";

export * from "./correct.ts";

type NetShape = Parameters<Chapter4["netPolicy"]>[0];

/** G += the (wrong) gradient of ln π(token | window): the read-out, each layer from the last, the embeddings. */
function addBackwardTransposed(shape: NetShape, pass: NetPass, token: number, G: NetWeights): void {
  const { w } = pass;
  const N = shape.window;
  const root = Math.sqrt(shape.width);
  const lse = logSumExp(pass.logits);
  const dz = pass.logits.map((z, b) => (b === token ? 1 : 0) - Math.exp(z - lse));
  addOuter(G.U, dz, pass.last);
  addTo(G.c, dz);
  let dx = Array.from({ length: N }, () => new Array<number>(shape.width).fill(0));
  dx[N - 1] = applyT(w.U, dz);
  for (let l = w.layers.length - 1; l >= 0; l--) {
    const L = w.layers[l];
    const g = G.layers[l];
    const { x, q, k, v, a, o, h, t } = pass.layers[l];
    const dh = dx.map((dxi, i) => {
      addOuter(g.W2, dxi, t[i]);
      addTo(g.b2, dxi);
      const du = applyT(L.W2, dxi).map((dt, r) => dt * (1 - t[i][r] * t[i][r]));
      addOuter(g.W1, du, h[i]);
      addTo(g.b1, du);
      const dhi = applyT(L.W1, du);
      addTo(dhi, dxi);
      return dhi;
    });
    const dq = q.map((qi) => qi.map(() => 0));
    const dk = k.map((ki) => ki.map(() => 0));
    const dv = v.map((vi) => vi.map(() => 0));
    const dout = dh.map((dhi, i) => {
      addOuter(g.Wo, dhi, o[i]);
      return applyT(L.Wo, dhi);
    });
    const da = a.map((ai, i) => ai.map((_, j) => dot(dout[i], v[j])));
    // the mistake: Σₖ aₖⱼ dAₖⱼ down column j (rows k ≥ j) where row i's Σₖ aᵢₖ dAᵢₖ belongs
    const columnDot = new Array<number>(N).fill(0);
    a.forEach((ai, i) => ai.forEach((aij, j) => (columnDot[j] += aij * da[i][j])));
    a.forEach((ai, i) =>
      ai.forEach((aij, j) => {
        for (let c = 0; c < shape.width; c++) dv[j][c] += aij * dout[i][c];
        const ds = (aij * (da[i][j] - columnDot[j])) / root;
        for (let c = 0; c < shape.width; c++) {
          dq[i][c] += ds * k[j][c];
          dk[j][c] += ds * q[i][c];
        }
      }),
    );
    dx = dh.map((dhi, i) => {
      addOuter(g.Wq, dq[i], x[i]);
      addOuter(g.Wk, dk[i], x[i]);
      addOuter(g.Wv, dv[i], x[i]);
      const dxi = dhi.slice();
      addTo(dxi, applyT(L.Wq, dq[i]));
      addTo(dxi, applyT(L.Wk, dk[i]));
      addTo(dxi, applyT(L.Wv, dv[i]));
      return dxi;
    });
  }
  pass.window.forEach((tok, i) => {
    addTo(G.E[tok], dx[i]);
    addTo(G.P[i], dx[i]);
  });
}

export const netTokenScore: Chapter4["netTokenScore"] = (shape, theta, window, token) => {
  const G = zeroWeights(shape);
  addBackwardTransposed(shape, netPass(shape, theta, window), token, G);
  return flattenWeights(G);
};

export const netSequenceScore: Chapter4["netSequenceScore"] = (shape, theta, prompt, tokens) => {
  const G = zeroWeights(shape);
  responseWindows(prompt, tokens).forEach((s, t) =>
    addBackwardTransposed(shape, netPass(shape, theta, s), tokens[t], G),
  );
  return flattenWeights(G);
};
