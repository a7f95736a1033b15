/*
 * The 10-armed testbed workload of `npm run bench`, in C for an honest speed ratio: the same
 * algorithm as src/bandits/testbed.ts (Gibbs policy, REINFORCE with the running-average baseline,
 * B_0 = 0), the same sfc32 generator seeded with the same three words, the same Box-Muller pairs.
 *
 *   testbed <seed-a> <seed-b> <seed-c> <runs> <steps> <step-size> <repeats>
 * prints one line per repeat: "<seconds> <runs choosing an optimal arm at the last step>".
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define K 10

static uint32_t sa, sb, sc, sd;
static double next_uniform(void) {
  uint32_t t = sa + sb + sd;
  sd += 1;
  sa = sb ^ (sb >> 9);
  sb = sc + (sc << 3);
  sc = (sc << 21) | (sc >> 11);
  sc += t;
  return t / 4294967296.0;
}

static double spare;
static int has_spare;
static double normal(void) {
  if (has_spare) { has_spare = 0; return spare; }
  double u = next_uniform();
  while (u <= 0) u = next_uniform();
  double v = 2 * M_PI * next_uniform();
  double m = sqrt(-2 * log(u));
  spare = m * sin(v);
  has_spare = 1;
  return m * cos(v);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 8) { fprintf(stderr, "usage: testbed a b c runs steps step-size repeats\n"); return 2; }
  uint32_t a0 = (uint32_t)strtoul(argv[1], 0, 10), b0 = (uint32_t)strtoul(argv[2], 0, 10), c0 = (uint32_t)strtoul(argv[3], 0, 10);
  int runs = atoi(argv[4]), steps = atoi(argv[5]), repeats = atoi(argv[7]);
  double alpha = atof(argv[6]);
  double theta[K], e[K], q[K];
  for (int rep = 0; rep < repeats; rep++) {
    sa = a0; sb = b0; sc = c0; sd = 1; has_spare = 0;
    for (int i = 0; i < 12; i++) next_uniform();
    double t0 = now();
    long optimal_end = 0;
    for (int run = 0; run < runs; run++) {
      int best = 0;
      for (int a = 0; a < K; a++) {
        q[a] = 4 + normal();
        if (q[a] > q[best]) best = a;
        theta[a] = 0;
      }
      double b = 0;
      for (int t = 0; t < steps; t++) {
        double mx = theta[0];
        for (int a = 1; a < K; a++) if (theta[a] > mx) mx = theta[a];
        double s = 0;
        for (int a = 0; a < K; a++) { e[a] = exp(theta[a] - mx); s += e[a]; }
        double u = next_uniform() * s, acc = 0;
        int act = K - 1;
        for (int a = 0; a < K - 1; a++) { acc += e[a]; if (u < acc) { act = a; break; } }
        double r = q[act] + normal();
        double g = alpha * (r - b), c = g / s;
        for (int a = 0; a < K; a++) theta[a] -= c * e[a];
        theta[act] += g;
        b += (r - b) / (t + 1);
        if (t == steps - 1 && q[act] == q[best]) optimal_end++;
      }
    }
    double t1 = now();
    printf("%.6f %ld\n", t1 - t0, optimal_end);
  }
  return 0;
}
