// Leak by construction: a "service" that keeps a 24 MB working set, churns request buffers,
// and forgets to free one reply buffer every half second: argv[1] bytes on average (default
// 12 000, ~24 KB/s), touched.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Tells the optimiser the block is used, so malloc/memset/free are not elided.
static inline void Keep(void* p) { __asm__ volatile("" : : "r"(p) : "memory"); }

int main(int argc, char** argv) {
  const int leak_per_tick = argc > 1 ? atoi(argv[1]) : 12000;  // bytes per 0.5 s, on average
  enum { kBaseline = 24 << 20 };
  char* baseline = malloc(kBaseline);
  memset(baseline, 1, kBaseline);
  Keep(baseline);
  srand(20);
  for (;;) {
    for (int i = 0; i < 200; i++) {
      size_t n = 64 + rand() % 16384;
      char* request = malloc(n);
      memset(request, 2, n);
      Keep(request);
      free(request);
    }
    size_t n = leak_per_tick / 3 + rand() % (leak_per_tick * 4 / 3 + 1);
    char* reply = malloc(n);  // the leak: never freed
    memset(reply, 3, n);
    Keep(reply);
    usleep(500000);
  }
  return baseline[0];
}
