#include <perfleak/perfleak.h>

#include <cstdio>

int main() {
  auto path = perfleak::CounterPath::Parse("\\\\WEB01\\Process(w3wp#1)\\Private Bytes");
  if (!path.ok()) return 1;
  std::printf("perfleak %s: %s\n", perfleak::kVersion, path->ToString().c_str());
  return 0;
}
