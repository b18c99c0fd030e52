// Rewrites the synthetic .blg fixtures and fuzz seeds (see blg_fixtures.h):
//   perfleak_write_blg_fixtures tests/data
// BlgFixtures.CheckedInFilesAreWhatTheWriterMakes fails until they are rewritten after a
// change to the writer or the fixtures.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "blg_fixtures.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s TESTS_DATA_DIR (e.g. tests/data)\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = argv[1];
  for (const auto& [relative, bytes] : perfleak::blg::testing::SyntheticBlgFixtures()) {
    const std::filesystem::path path = root / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
    std::printf("wrote %s (%zu bytes)\n", path.c_str(), bytes.size());
  }
  return 0;
}
