// Not a leak: every 15-25 s a burst of 2-16 short-lived worker threads, each doing a few
// thousand small malloc/free calls at once. glibc gives contending threads their own arena,
// each reserving a 64 MB heap (mostly PROT_NONE), so Virtual Bytes climbs in 64 MB steps as
// higher concurrency peaks are met (up to 8 x cores arenas) while committed memory stays flat.
// Workers use 256 KB stacks, as services that start many threads do.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Tells the optimiser the block is used, so malloc/memset/free are not elided.
static inline void Keep(void* p) { __asm__ volatile("" : : "r"(p) : "memory"); }

static void* Worker(void* arg) {
  unsigned seed = (unsigned)(size_t)arg;
  void* blocks[256];
  for (int round = 0; round < 8; round++) {
    for (int i = 0; i < 256; i++) {
      size_t n = 64 + rand_r(&seed) % 960;
      blocks[i] = malloc(n);
      memset(blocks[i], 5, n);
      Keep(blocks[i]);
    }
    usleep(20000);
    for (int i = 0; i < 256; i++) free(blocks[i]);
  }
  return NULL;
}

int main(void) {
  srand(22);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  for (;;) {
    int n = 2 + rand() % 15;
    pthread_t threads[16];
    for (int i = 0; i < n; i++) pthread_create(&threads[i], &attr, Worker, (void*)(size_t)rand());
    for (int i = 0; i < n; i++) pthread_join(threads[i], NULL);
    sleep(15 + rand() % 11);
  }
}
