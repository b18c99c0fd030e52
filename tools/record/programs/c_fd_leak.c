// Handle leak by construction: every 3 s a "connection" opens a file in /tmp and an error path
// forgets to close it; other requests open and close files properly.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  char path[64];
  snprintf(path, sizeof path, "/tmp/perfleak_fd_leak.%d", (int)getpid());
  close(open(path, O_CREAT | O_WRONLY, 0600));
  srand(23);
  for (int tick = 0;; tick++) {
    for (int i = 0; i < 1 + rand() % 6; i++) close(open(path, O_RDONLY));
    if (tick % 3 == 0) open(path, O_RDONLY);  // the leak: never closed
    sleep(1);
  }
}
