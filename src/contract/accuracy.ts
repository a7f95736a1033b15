/**
 * The accuracy the contract requires. Every check that compares a function's result with an exact
 * value allows at least this much, so an implementation written differently (log-sum-exp, another
 * elimination order, an iterative solver run to convergence) passes as long as it meets it.
 */

/**
 * Values (probabilities, scores, gradients, expectations, updates): each component within
 * `abs + rel·|exact|` of the exact value. Round-off of a careful float64 computation on the book's
 * instances is near 1e-15 relative; the contract allows a million times that.
 */
export const ACCURACY = { rel: 1e-9, abs: 1e-12 } as const;

/**
 * Solutions of linear systems (stationary distributions d = dP, relative values of the evaluation
 * equation): the residual of the defining equations, in the ∞-norm, at most this (for rewards and
 * probabilities of order one). The residual, not the distance to the exact solution, is what an
 * iterative solver controls; on a slowly mixing chain the distance can be the residual divided by
 * the spectral gap.
 */
export const RESIDUAL = 1e-10;
