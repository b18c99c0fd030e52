#include <array>
#include <utility>

#include "common/ascii_case_internal.h"
#include "common/object_names_internal.h"

namespace perfleak::internal {

std::string_view EnglishObjectName(std::string_view object) {
  // PAL's counter-name table (shared/corpus/names/counter-names.tsv, checked against this list
  // in tests/analysis/counter_names_test.cc) plus the names real logs carry that it
  // lacks: Russian, Process V2 (Windows 11, instances `name:pid`, handled like `name`) and a
  // few older spellings.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kNames = {{
      {"Process", "Process"}, {"Process V2", "Process"}, {"Prozess", "Process"},
      {"Proceso", "Process"}, {"Processus", "Process"},  {"Processo", "Process"},
      {"Процесс", "Process"}, {"Proces", "Process"},     {"Processen", "Process"},
      {"Proses", "Process"},  {"Folyamat", "Process"},   {"Procesy", "Process"},
      {"Islem", "Process"},   {"Memory", "Memory"},      {"Arbeitsspeicher", "Memory"},
      {"Bellek", "Memory"},   {"Geheugen", "Memory"},    {"Memoria", "Memory"},
      {"Memória", "Memory"},  {"Minne", "Memory"},       {"Mémoire", "Memory"},
      {"Pamet", "Memory"},    {"Pamiec", "Memory"},      {"Память", "Memory"},
  }};
  for (const auto& [localized, english] : kNames) {
    if (EqualsIgnoreAsciiCase(localized, object)) return english;
  }
  return {};
}

bool IsProcessObject(std::string_view object) { return EnglishObjectName(object) == "Process"; }

}  // namespace perfleak::internal
