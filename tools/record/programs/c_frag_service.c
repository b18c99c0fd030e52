// Not a leak: 30 000 slots of log-uniform sizes (16 B .. 32 KB) replaced at random, so the heap
// fragments and reaches its high-water mark early, then holds it.
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Tells the optimiser the block is used, so malloc/memset/free are not elided.
static inline void Keep(void* p) { __asm__ volatile("" : : "r"(p) : "memory"); }

enum { kSlots = 30000 };
static void* slots[kSlots];

static size_t RandomSize(void) {
  double u = (double)rand() / RAND_MAX;
  return (size_t)(16.0 * pow(2048.0, u));  // 16 B .. 32 KB
}

int main(void) {
  srand(21);
  for (;;) {
    for (int i = 0; i < 400; i++) {
      int k = rand() % kSlots;
      free(slots[k]);
      size_t n = RandomSize();
      slots[k] = malloc(n);
      memset(slots[k], 4, n);
      Keep(slots[k]);
    }
    usleep(500000);
  }
}
