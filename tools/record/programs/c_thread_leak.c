// Thread leak by construction: every 15 s a job starts a watcher thread that waits on a
// condition nobody signals; short-lived workers come and go beside it. Stacks are 256 KB.
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void* Watcher(void* arg) {
  pthread_mutex_lock(&mutex);
  for (;;) pthread_cond_wait(&never, &mutex);  // the leak: never returns
  return arg;
}

static void* Worker(void* arg) {
  usleep(300000 + rand() % 1000000);
  return arg;
}

int main(void) {
  srand(24);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_attr_t detached;
  pthread_attr_init(&detached);
  pthread_attr_setstacksize(&detached, 256 * 1024);
  pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
  for (int tick = 0;; tick++) {
    pthread_t t;
    for (int i = 0; i < rand() % 4; i++) pthread_create(&t, &detached, Worker, NULL);
    if (tick % 15 == 0) pthread_create(&t, &detached, Watcher, NULL);
    sleep(1);
  }
}
