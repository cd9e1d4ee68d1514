/*
 * Reference outputs of xoshiro128** 1.1 for the rapport PRNG test (test/simulate/rng.test.ts).
 * next() is copied from the public-domain reference implementation by David Blackman and
 * Sebastiano Vigna (https://prng.di.unimi.it/xoshiro128starstar.c).
 * Build and run:  cc -O2 -o /tmp/x test/reference/xoshiro128ss.c && /tmp/x > test/reference/xoshiro128ss.json
 */
#include <stdint.h>
#include <stdio.h>

static inline uint32_t rotl(const uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static uint32_t s[4];

uint32_t next(void) {
	const uint32_t result = rotl(s[1] * 5, 7) * 9;
	const uint32_t t = s[1] << 9;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 11);
	return result;
}

static void run(uint32_t a, uint32_t b, uint32_t c, uint32_t d, int last) {
	s[0] = a; s[1] = b; s[2] = c; s[3] = d;
	printf("    {\"state\": [%u, %u, %u, %u], \"outputs\": [", a, b, c, d);
	for (int i = 0; i < 10; i++) printf("%s%u", i ? ", " : "", next());
	/* skip ahead to check long-run agreement */
	for (int i = 0; i < 999990; i++) next();
	printf("], \"output_1000001\": %u}%s\n", next(), last ? "" : ",");
}

int main(void) {
	printf("{\n  \"generator\": \"xoshiro128** 1.1 (Blackman & Vigna), reference C implementation\",\n  \"cases\": [\n");
	run(1, 2, 3, 4, 0);
	run(0x9e3779b9u, 0x243f6a88u, 0xb7e15162u, 0xdeadbeefu, 0);
	run(0xffffffffu, 0, 0x80000000u, 1, 1);
	printf("  ]\n}\n");
	return 0;
}
