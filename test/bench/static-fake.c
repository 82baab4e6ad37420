/*
 * The bench's static `aliyun`: no logic, no runtime, answers every call at once from a file, so
 * what `npm run bench` times is the harness and not the fake. The answer to
 *   aliyun <word> <word> … [--next-token T | --page-number N] …
 * is the file $FAKE_DIR/<word>.<word>…[.T|.N] copied to stdout (exit 0); with no such file, an
 * error on stderr and exit 1. test/bench/static-fake.ts compiles it, or writes the same rule as
 * a shell script when no C compiler is present.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *dir = getenv("FAKE_DIR");
  char path[8192];
  int n = snprintf(path, sizeof path, "%s/", dir ? dir : ".");
  int i = 1;
  for (; i < argc && argv[i][0] != '-'; i++) n += snprintf(path + n, sizeof path - n, "%s%s", i > 1 ? "." : "", argv[i]);
  for (; i + 1 < argc; i++)
    if (!strcmp(argv[i], "--next-token") || !strcmp(argv[i], "--page-number")) n += snprintf(path + n, sizeof path - n, ".%s", argv[i + 1]);
  if (n >= (int)sizeof path) return 2;
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    fprintf(stderr, "ERROR: static fake has no answer %s\n", path);
    return 1;
  }
  char buf[1 << 16];
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0)
    if (write(1, buf, (size_t)r) != r) return 3;
  return 0;
}
