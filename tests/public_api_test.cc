// The public headers are the API: the umbrella includes each of them, fwd.h declares each of
// their types, and no internal header sits among them (the install rule skips `*_internal.h`,
// so one there would break installed consumers).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

#include "perfleak/perfleak.h"
#include "test_util.h"

namespace perfleak {
namespace {

const std::filesystem::path kInclude = std::filesystem::path(PERFLEAK_SOURCE_DIR) / "include";

std::string Header(const std::string& name) {
  return perfleak::testing::ReadFileToString((kInclude / "perfleak" / name).string());
}

TEST(PublicApi, UmbrellaIncludesEveryPublicHeader) {
  const std::string umbrella = Header("perfleak.h");
  std::size_t headers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kInclude / "perfleak")) {
    const std::string name = entry.path().filename().string();
    if (name == "perfleak.h") continue;
    ++headers;
    EXPECT_NE(umbrella.find("#include \"perfleak/" + name + "\""), std::string::npos) << name;
    EXPECT_EQ(name.find("_internal"), std::string::npos)
        << name << ": internal headers stay beside their .cc";
  }
  EXPECT_GE(headers, 15u);
}

TEST(PublicApi, FwdDeclaresEveryPublicType) {
  const std::string fwd = Header("fwd.h");
  const std::regex type(R"(\n(struct|class|enum class) ([A-Z]\w*)[^;\n]*\{)");
  std::size_t types = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kInclude / "perfleak")) {
    const std::string text = Header(entry.path().filename().string());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), type);
         it != std::sregex_iterator(); ++it) {
      ++types;
      const std::regex declared("\n" + (*it)[1].str() + " " + (*it)[2].str() + "[ ;]");
      EXPECT_TRUE(std::regex_search(fwd, declared))
          << (*it)[1].str() << " " << (*it)[2].str() << " (" << entry.path().filename().string()
          << ") is missing from fwd.h";
    }
  }
  EXPECT_GE(types, 50u);
}

}  // namespace
}  // namespace perfleak
