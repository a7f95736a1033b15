/*
 * Chapter 4's network workload of `npm run bench`, in C for an honest speed ratio: the forward pass of
 * src/language-models/network/forward.ts and the backward pass of backward.ts, written from the formulas
 * of shape.ts in double precision, with θ in the same layout (blocks tokenEmbed, posEmbed, per layer
 * query, key, value, out, mlpIn, mlpInBias, mlpOut, mlpOutBias, then unembed, unembedBias; matrices
 * row-major, rows = outputs).
 *
 *   network <input> <mode> <rounds>
 *
 * <input> is the text scripts/tools/bench/network-c.ts writes: "V N d m L", the parameter count, θ, the
 * number of windows W, then W lines of N tokens and the scored token. The program first prints its
 * checksum of one pass over the windows,
 *   logp <Σ ln πθ(token | window)>
 *   grad <Σ ∇θ ln πθ(token | window), one number per parameter>
 * then times <rounds> passes over the windows, forward and backward (<mode> "backward") or forward only
 * ("forward"), and prints "seconds <s> sink <a number the timed passes computed>".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { QUERY, KEY, VALUE, OUT, MLP_IN, MLP_IN_BIAS, MLP_OUT, MLP_OUT_BIAS, BLOCKS };

static int V, N, D, M, L;
static long P, tok_embed, pos_embed, unembed, unembed_bias, *layer_at;
/* the trace of one forward pass: X holds the input of every layer and the last output */
static double *X, *Q, *K, *VAL, *A, *MIX, *H, *U, *logits, *pi;
/* scratch of the backward pass */
static double *dx, *dh, *dx0, *dpre, *dmix, *dq, *dk, *dv, *dA, *dz;

static void fail(const char *what) {
  fprintf(stderr, "network: %s\n", what);
  exit(2);
}

static double *zeros(long n) {
  double *p = calloc(n > 0 ? n : 1, sizeof(double));
  if (!p) fail("out of memory");
  return p;
}

/* The offsets of netLayout in shape.ts; returns the parameter count. */
static long layout(void) {
  long at = 0;
  tok_embed = at, at += (long)V * D;
  pos_embed = at, at += (long)N * D;
  layer_at = malloc(sizeof(long) * BLOCKS * L);
  if (!layer_at) fail("out of memory");
  for (int l = 0; l < L; l++) {
    long *o = layer_at + BLOCKS * l;
    o[QUERY] = at, at += (long)D * D;
    o[KEY] = at, at += (long)D * D;
    o[VALUE] = at, at += (long)D * D;
    o[OUT] = at, at += (long)D * D;
    o[MLP_IN] = at, at += (long)M * D;
    o[MLP_IN_BIAS] = at, at += M;
    o[MLP_OUT] = at, at += (long)D * M;
    o[MLP_OUT_BIAS] = at, at += D;
  }
  unembed = at, at += (long)V * D;
  unembed_bias = at, at += V;
  return at;
}

/* y (+)= W x for a rows × cols block of θ at w. */
static void mat_vec(const double *th, long w, int rows, int cols, const double *x, double *y) {
  for (int r = 0; r < rows; r++) {
    double s = 0;
    const double *row = th + w + (long)r * cols;
    for (int c = 0; c < cols; c++) s += row[c] * x[c];
    y[r] += s;
  }
}

/* Backward through y = W x: g[W] += dy xᵀ, dx += Wᵀ dy. */
static void linear_back(const double *th, double *g, long w, int rows, int cols, const double *dy,
                        const double *x, double *dxo) {
  for (int r = 0; r < rows; r++) {
    double e = dy[r];
    if (e == 0) continue;
    const double *row = th + w + (long)r * cols;
    double *grow = g + w + (long)r * cols;
    for (int c = 0; c < cols; c++) {
      grow[c] += e * x[c];
      dxo[c] += row[c] * e;
    }
  }
}

/* πθ(· | window) into pi, keeping the trace; returns ln πθ(token | window). */
static double forward(const double *th, const int *win, int token) {
  const double scale = 1 / sqrt((double)D);
  for (int i = 0; i < N; i++)
    for (int c = 0; c < D; c++) X[i * D + c] = th[tok_embed + (long)win[i] * D + c] + th[pos_embed + i * D + c];
  for (int l = 0; l < L; l++) {
    const long *o = layer_at + BLOCKS * l;
    const double *x = X + (long)l * N * D;
    double *xn = X + (long)(l + 1) * N * D;
    double *q = Q + (long)l * N * D, *k = K + (long)l * N * D, *v = VAL + (long)l * N * D;
    double *a = A + (long)l * N * N, *mix = MIX + (long)l * N * D, *h = H + (long)l * N * D;
    double *u = U + (long)l * N * M;
    memset(q, 0, sizeof(double) * N * D);
    memset(k, 0, sizeof(double) * N * D);
    memset(v, 0, sizeof(double) * N * D);
    memset(mix, 0, sizeof(double) * N * D);
    for (int i = 0; i < N; i++) {
      mat_vec(th, o[QUERY], D, D, x + i * D, q + i * D);
      mat_vec(th, o[KEY], D, D, x + i * D, k + i * D);
      mat_vec(th, o[VALUE], D, D, x + i * D, v + i * D);
    }
    for (int i = 0; i < N; i++) {
      double mx = -INFINITY, total = 0;
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int c = 0; c < D; c++) s += q[i * D + c] * k[j * D + c];
        s *= scale;
        a[i * N + j] = s;
        if (s > mx) mx = s;
      }
      for (int j = 0; j <= i; j++) total += a[i * N + j] = exp(a[i * N + j] - mx);
      for (int j = 0; j <= i; j++) {
        double w = a[i * N + j] /= total;
        for (int c = 0; c < D; c++) mix[i * D + c] += w * v[j * D + c];
      }
      for (int j = i + 1; j < N; j++) a[i * N + j] = 0;
    }
    for (int i = 0; i < N; i++) {
      memcpy(h + i * D, x + i * D, sizeof(double) * D);
      mat_vec(th, o[OUT], D, D, mix + i * D, h + i * D);
      for (int r = 0; r < M; r++) u[i * M + r] = th[o[MLP_IN_BIAS] + r];
      mat_vec(th, o[MLP_IN], M, D, h + i * D, u + i * M);
      for (int r = 0; r < M; r++) u[i * M + r] = tanh(u[i * M + r]);
      for (int c = 0; c < D; c++) xn[i * D + c] = h[i * D + c] + th[o[MLP_OUT_BIAS] + c];
      mat_vec(th, o[MLP_OUT], D, M, u + i * M, xn + i * D);
    }
  }
  const double *last = X + (long)L * N * D + (long)(N - 1) * D;
  for (int t = 0; t < V; t++) logits[t] = th[unembed_bias + t];
  mat_vec(th, unembed, V, D, last, logits);
  double mx = logits[0], total = 0;
  for (int t = 1; t < V; t++)
    if (logits[t] > mx) mx = logits[t];
  for (int t = 0; t < V; t++) total += pi[t] = exp(logits[t] - mx);
  for (int t = 0; t < V; t++) pi[t] /= total;
  return logits[token] - mx - log(total);
}

/* g += ∇θ ln πθ(token | window) from the trace of forward(): the logits' gradient is 1_token − πθ. */
static void backward(const double *th, const int *win, int token, double *g) {
  const double scale = 1 / sqrt((double)D);
  for (int t = 0; t < V; t++) dz[t] = (t == token ? 1.0 : 0.0) - pi[t];
  for (int t = 0; t < V; t++) g[unembed_bias + t] += dz[t];
  memset(dx, 0, sizeof(double) * N * D);
  linear_back(th, g, unembed, V, D, dz, X + (long)L * N * D + (long)(N - 1) * D, dx + (N - 1) * D);
  for (int l = L - 1; l >= 0; l--) {
    const long *o = layer_at + BLOCKS * l;
    const double *x = X + (long)l * N * D;
    const double *q = Q + (long)l * N * D, *k = K + (long)l * N * D, *v = VAL + (long)l * N * D;
    const double *a = A + (long)l * N * N, *mix = MIX + (long)l * N * D, *h = H + (long)l * N * D;
    const double *u = U + (long)l * N * M;
    /* x' = h + W₂ u + b₂, u = tanh(W₁ h + b₁) */
    memcpy(dh, dx, sizeof(double) * N * D);
    memset(dpre, 0, sizeof(double) * N * M);
    for (int i = 0; i < N; i++) {
      for (int c = 0; c < D; c++) g[o[MLP_OUT_BIAS] + c] += dx[i * D + c];
      linear_back(th, g, o[MLP_OUT], D, M, dx + i * D, u + i * M, dpre + i * M);
      for (int r = 0; r < M; r++) {
        double ur = u[i * M + r];
        dpre[i * M + r] *= 1 - ur * ur;
        g[o[MLP_IN_BIAS] + r] += dpre[i * M + r];
      }
      linear_back(th, g, o[MLP_IN], M, D, dpre + i * M, h + i * D, dh + i * D);
    }
    /* h = x + Wo mix */
    memcpy(dx0, dh, sizeof(double) * N * D);
    memset(dmix, 0, sizeof(double) * N * D);
    for (int i = 0; i < N; i++) linear_back(th, g, o[OUT], D, D, dh + i * D, mix + i * D, dmix + i * D);
    /* mixᵢ = Σ_{j≤i} aᵢⱼ vⱼ, aᵢ = softmax over j ≤ i of qᵢ·kⱼ/√d */
    memset(dq, 0, sizeof(double) * N * D);
    memset(dk, 0, sizeof(double) * N * D);
    memset(dv, 0, sizeof(double) * N * D);
    for (int i = 0; i < N; i++) {
      double weighted = 0;
      for (int j = 0; j <= i; j++) {
        double aij = a[i * N + j], s = 0;
        for (int c = 0; c < D; c++) {
          s += dmix[i * D + c] * v[j * D + c];
          dv[j * D + c] += aij * dmix[i * D + c];
        }
        dA[j] = s;
        weighted += aij * s;
      }
      for (int j = 0; j <= i; j++) {
        double dS = a[i * N + j] * (dA[j] - weighted) * scale;
        if (dS == 0) continue;
        for (int c = 0; c < D; c++) {
          dq[i * D + c] += dS * k[j * D + c];
          dk[j * D + c] += dS * q[i * D + c];
        }
      }
    }
    for (int i = 0; i < N; i++) {
      linear_back(th, g, o[QUERY], D, D, dq + i * D, x + i * D, dx0 + i * D);
      linear_back(th, g, o[KEY], D, D, dk + i * D, x + i * D, dx0 + i * D);
      linear_back(th, g, o[VALUE], D, D, dv + i * D, x + i * D, dx0 + i * D);
    }
    memcpy(dx, dx0, sizeof(double) * N * D);
  }
  /* x⁰ᵢ = E[sᵢ] + P[i] */
  for (int i = 0; i < N; i++)
    for (int c = 0; c < D; c++) {
      g[tok_embed + (long)win[i] * D + c] += dx[i * D + c];
      g[pos_embed + i * D + c] += dx[i * D + c];
    }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long read_long(FILE *f, const char *what) {
  long v;
  if (fscanf(f, "%ld", &v) != 1) {
    fprintf(stderr, "network: the input ends before %s\n", what);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  if (argc != 4) fail("usage: network <input> backward|forward <rounds>");
  int with_backward = strcmp(argv[2], "backward") == 0;
  if (!with_backward && strcmp(argv[2], "forward") != 0) fail("the mode must be backward or forward");
  long rounds = atol(argv[3]);
  if (rounds < 1) fail("rounds must be a positive integer");
  FILE *f = fopen(argv[1], "r");
  if (!f) fail("cannot open the input file");
  V = (int)read_long(f, "V"), N = (int)read_long(f, "N"), D = (int)read_long(f, "d");
  M = (int)read_long(f, "m"), L = (int)read_long(f, "L");
  if (V < 2 || N < 1 || D < 1 || M < 1 || L < 1) fail("the shape needs V ≥ 2 and N, d, m, L ≥ 1");
  P = layout();
  if (read_long(f, "the parameter count") != P) fail("the parameter count does not match the shape's layout");
  double *theta = zeros(P);
  for (long i = 0; i < P; i++)
    if (fscanf(f, "%lf", &theta[i]) != 1) fail("the input ends inside θ");
  long W = read_long(f, "the number of windows");
  if (W < 1) fail("no windows");
  int *wins = malloc(sizeof(int) * N * W), *tokens = malloc(sizeof(int) * W);
  if (!wins || !tokens) fail("out of memory");
  for (long w = 0; w < W; w++) {
    for (int i = 0; i <= N; i++) {
      long t = read_long(f, "the end of the windows");
      if (t < 0 || t >= V) fail("a token id is outside 0 … V − 1");
      if (i < N) wins[w * N + i] = (int)t;
      else tokens[w] = (int)t;
    }
  }
  fclose(f);

  X = zeros((long)(L + 1) * N * D);
  Q = zeros((long)L * N * D), K = zeros((long)L * N * D), VAL = zeros((long)L * N * D);
  A = zeros((long)L * N * N), MIX = zeros((long)L * N * D), H = zeros((long)L * N * D);
  U = zeros((long)L * N * M), logits = zeros(V), pi = zeros(V);
  dx = zeros(N * D), dh = zeros(N * D), dx0 = zeros(N * D), dpre = zeros(N * M), dmix = zeros(N * D);
  dq = zeros(N * D), dk = zeros(N * D), dv = zeros(N * D), dA = zeros(N), dz = zeros(V);

  double *g = zeros(P), logp = 0;
  for (long w = 0; w < W; w++) {
    logp += forward(theta, wins + w * N, tokens[w]);
    backward(theta, wins + w * N, tokens[w], g);
  }
  printf("logp %.17g\ngrad", logp);
  for (long i = 0; i < P; i++) printf(" %.17g", g[i]);
  printf("\n");

  /* the timed passes accumulate into a buffer of their own, read back at the end so none is skipped */
  double *sink_g = zeros(P), sink = 0;
  double t0 = now();
  for (long r = 0; r < rounds; r++)
    for (long w = 0; w < W; w++) {
      sink += forward(theta, wins + w * N, tokens[w]);
      if (with_backward) backward(theta, wins + w * N, tokens[w], sink_g);
    }
  double secs = now() - t0;
  for (long i = 0; i < P; i++) sink += sink_g[i];
  printf("seconds %.6f sink %.17g\n", secs, sink);
  return 0;
}
