#include "analysis/counter_names.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "common/ascii_case_internal.h"
#include "perfleak/log_summary.h"

namespace perfleak::internal {

namespace {

constexpr std::array<std::string_view, 12> kEnglish = {
    kPrivateBytes,   kVirtualBytes,   kWorkingSet,        kHandleCount,
    kThreadCount,    kPoolPagedBytes, kPoolNonpagedBytes, kIdProcess,
    kCommittedBytes, kCommitLimit,    kAvailableMBytes,   kPagingFileUsage};

// Localized names of the Process and Memory counters, derived from PAL's counter-name table
// (Clint Huffman, PAL, MIT licence; shared/corpus/names/counter-names.tsv; the test
// CounterNames.EveryPalNameOfAnAnalysedCounterIsKnown checks the two agree), plus the
// Russian names seen in real logs (PAL's ruRU repeats the English ones).
constexpr std::pair<std::string_view, std::string_view> kLocalized[] = {
    {"Aantal ingangen", "Handle Count"},
    {"Aantal threads", "Thread Count"},
    {"Aktiv sidmängd", "Working Set"},
    {"Aktív végrehajtási szálak", "Thread Count"},
    {"Antal bindningsreferenser", "Handle Count"},
    {"Antal trådar", "Thread Count"},
    {"Arbeitsseiten", "Working Set"},
    {"Auslagerungsseiten (Bytes)", "Pool Paged Bytes"},
    {"Bajty nestránkovaného fondu", "Pool Nonpaged Bytes"},
    {"Bajty prywatne", "Private Bytes"},
    {"Bajty stránkovaného fondu", "Pool Paged Bytes"},
    {"Bajty w puli niestronicowanej", "Pool Nonpaged Bytes"},
    {"Bajty w puli stronicowanej", "Pool Paged Bytes"},
    {"Bajty wirtualne", "Virtual Bytes"},
    {"Beschikbare megabytes (MB)", "Available MBytes"},
    {"Byte del pool di paging", "Pool Paged Bytes"},
    {"Byte del pool non di paging", "Pool Nonpaged Bytes"},
    {"Byte privati", "Private Bytes"},
    {"Byte vincolati", "Committed Bytes"},
    {"Byte virtuali", "Virtual Bytes"},
    {"Bytes confirmados", "Committed Bytes"},
    {"Bytes de bloque no paginado", "Pool Nonpaged Bytes"},
    {"Bytes de bloque paginado", "Pool Paged Bytes"},
    {"Bytes de pool nao-paginável", "Pool Nonpaged Bytes"},
    {"Bytes de pool paginável", "Pool Paged Bytes"},
    {"Bytes dedicados", "Committed Bytes"},
    {"Bytes do espaço virtual", "Virtual Bytes"},
    {"Bytes na memória nao paginável", "Pool Nonpaged Bytes"},
    {"Bytes na memória paginável", "Pool Paged Bytes"},
    {"Bytes particulares", "Private Bytes"},
    {"Bytes privados", "Private Bytes"},
    {"Bytes virtuais", "Virtual Bytes"},
    {"Bytes virtuales", "Virtual Bytes"},
    {"Conjunto de trabalho", "Working Set"},
    {"Contagem de Threads", "Thread Count"},
    {"Contagem de threads", "Thread Count"},
    {"Conteggio degli handle", "Handle Count"},
    {"Conteggio thread", "Thread Count"},
    {"Dedikationsgräns", "Commit Limit"},
    {"Dedikerade byte", "Committed Bytes"},
    {"Disk Bellegi Havuzu Bayt Sayisi", "Pool Paged Bytes"},
    {"Disk Bellegi Olmayan Havuz Bayt Sayisi", "Pool Nonpaged Bytes"},
    {"Dostepna pamiec (MB)", "Available MBytes"},
    {"Eigen bytes", "Private Bytes"},
    {"Elojegyzett memória (bájt)", "Committed Bytes"},
    {"Elojegyzési küszöb (bájt)", "Commit Limit"},
    {"Espacio de trabajo", "Working Set"},
    {"Felhasznált leírók száma", "Handle Count"},
    {"Felhasznált virtuális memória jelenlegi mérete (bájt)", "Virtual Bytes"},
    {"Folyamat azonosítója (ID)", "ID Process"},
    {"Handleanzahl", "Handle Count"},
    {"ID de processus", "ID Process"},
    {"ID processo", "ID Process"},
    {"ID procesu", "ID Process"},
    {"Icke växlingsbart systemminne - byte", "Pool Nonpaged Bytes"},
    {"Id. de proceso", "ID Process"},
    {"Identificador de processo", "ID Process"},
    {"Identyfikator procesu", "ID Process"},
    {"Is Parçacigi Sayisi", "Thread Count"},
    {"Islem Kimligi", "ID Process"},
    {"Kaydedilmis Bayt Sayisi", "Committed Bytes"},
    {"Kaydetme Siniri", "Commit Limit"},
    {"Kullanilabilir MBayt", "Available MBytes"},
    {"Lapozható készlet mérete (bájt)", "Pool Paged Bytes"},
    {"Liczba watków", "Thread Count"},
    {"Licznik dojsc", "Handle Count"},
    {"Limit deklaracji", "Commit Limit"},
    {"Limite de confirmaçao", "Commit Limit"},
    {"Limite de mémoire dédiée", "Commit Limit"},
    {"Limite dedicado", "Commit Limit"},
    {"Limite memoria vincolata", "Commit Limit"},
    {"Límite de confirmación", "Commit Limit"},
    {"MByte disponibili", "Available MBytes"},
    {"MBytes disponíveis", "Available MBytes"},
    {"Mbytes disponibles", "Available MBytes"},
    {"Mez potvrzení", "Commit Limit"},
    {"Munkakészlet jelenlegi mérete (bájt)", "Working Set"},
    {"Mégaoctets disponibles", "Available MBytes"},
    {"N.º de identificadores", "Handle Count"},
    {"Nem lapozható készlet mérete (bájt)", "Pool Nonpaged Bytes"},
    {"Nesdílené bajty", "Private Bytes"},
    {"Nicht-Auslagerungsseiten (Bytes)", "Pool Nonpaged Bytes"},
    {"Niet-wisselbaar geheugen: bytes", "Pool Nonpaged Bytes"},
    {"Nombre de handles", "Handle Count"},
    {"Nombre de threads", "Thread Count"},
    {"Número de Identificadores", "Handle Count"},
    {"Número de identificadores", "Handle Count"},
    {"Número de subprocesos", "Thread Count"},
    {"Octets de réserve non paginée", "Pool Nonpaged Bytes"},
    {"Octets de réserve paginée", "Pool Paged Bytes"},
    {"Octets privés", "Private Bytes"},
    {"Octets validés", "Committed Bytes"},
    {"Plage de travail", "Working Set"},
    {"Pocet MB k dispozici", "Available MBytes"},
    {"Pocet popisovacu", "Handle Count"},
    {"Pocet vláken", "Thread Count"},
    {"Potvrzené bajty", "Committed Bytes"},
    {"Pracovní sada", "Working Set"},
    {"Privata byte", "Private Bytes"},
    {"Private Bytes", "Private Bytes"},
    {"Proces-id", "ID Process"},
    {"Process-ID", "ID Process"},
    {"Processo de identificaçao", "ID Process"},
    {"Prozesskennung", "ID Process"},
    {"Rendelkezésre álló memória (megabájt)", "Available MBytes"},
    {"Saját [nem megosztható] memória (bájt)", "Private Bytes"},
    {"Sanal Bayt Sayisi", "Virtual Bytes"},
    {"Taille virtuelle (octets)", "Virtual Bytes"},
    {"Tanitici Sayisi", "Handle Count"},
    {"Threadanzahl", "Thread Count"},
    {"Tillgängliga megabyte", "Available MBytes"},
    {"Toegewezen bytes", "Committed Bytes"},
    {"Toewijzingslimiet", "Commit Limit"},
    {"Verfügbare MB", "Available MBytes"},
    {"Virtuele bytes", "Virtual Bytes"},
    {"Virtuell storlek - byte", "Virtual Bytes"},
    {"Virtuelle Größe", "Virtual Bytes"},
    {"Virtuální bajty", "Virtual Bytes"},
    {"Växlingsbart systemminne - byte", "Pool Paged Bytes"},
    {"Werkset", "Working Set"},
    {"Wisselbaar geheugen: bytes", "Pool Paged Bytes"},
    {"Working set", "Working Set"},
    {"Zadeklarowane bajty", "Committed Bytes"},
    {"Zestaw roboczy", "Working Set"},
    {"Zugesicherte Bytes", "Committed Bytes"},
    {"Zusagegrenze", "Commit Limit"},
    {"Çalisma Kümesi", "Working Set"},
    {"Özel Bayt Sayisi", "Private Bytes"},
    {"Байт исключительного пользования", "Private Bytes"},
    {"Рабочий набор", "Working Set"},
};

}  // namespace

std::string_view EnglishCounterName(std::string_view counter) {
  for (const std::string_view name : kEnglish) {
    if (EqualsIgnoreAsciiCase(name, counter)) return name;
  }
  for (const auto& [localized, english] : kLocalized) {
    if (EqualsIgnoreAsciiCase(localized, counter)) return english;
  }
  return {};
}

std::vector<std::string_view> AllCounterSpellings() {
  std::vector<std::string_view> out(kEnglish.begin(), kEnglish.end());
  for (const auto& entry : kLocalized) out.push_back(entry.first);
  return out;
}

namespace {

// A positive decimal PID filling all of `text`.
std::optional<std::int64_t> ParsePid(std::string_view text) {
  std::int64_t pid = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || pid <= 0) {
    return std::nullopt;
  }
  return pid;
}

}  // namespace

ProcessObject ClassifyObject(std::string_view object) {
  if (EqualsIgnoreAsciiCase(object, "Process V2")) return ProcessObject::kProcessV2;
  if (IsProcessObject(object)) return ProcessObject::kProcess;
  if (EqualsIgnoreAsciiCase(object, ".NET CLR Memory")) return ProcessObject::kClrMemory;
  if (EqualsIgnoreAsciiCase(object, ".NET CLR Loading")) return ProcessObject::kClrLoading;
  if (EqualsIgnoreAsciiCase(object, "W3SVC_W3WP")) return ProcessObject::kW3wp;
  return ProcessObject::kOther;
}

std::string_view ClrCounterName(std::string_view counter) {
  for (const std::string_view name :
       {kClrBytesInAllHeaps, kClrGen2HeapSize, kClrLargeObjectHeapSize, kClrTotalCommittedBytes,
        kClrProcessId, kClrCurrentAppdomains, kClrCurrentAssemblies}) {
    if (EqualsIgnoreAsciiCase(name, counter)) return name;
  }
  return {};
}

ImageAndPid SplitProcessV2Instance(std::string_view instance) {
  // The image name itself may hold `:` in theory, so the PID is what follows the last one.
  const std::size_t colon = instance.rfind(':');
  if (colon == std::string_view::npos) return {std::string(instance), std::nullopt};
  const std::optional<std::int64_t> pid = ParsePid(instance.substr(colon + 1));
  if (!pid || colon == 0) return {std::string(instance), std::nullopt};
  return {std::string(instance.substr(0, colon)), pid};
}

std::optional<W3wpInstance> SplitW3wpInstance(std::string_view instance) {
  const std::size_t underscore = instance.find('_');
  if (underscore == std::string_view::npos || underscore + 1 == instance.size()) {
    return std::nullopt;
  }
  const std::optional<std::int64_t> pid = ParsePid(instance.substr(0, underscore));
  if (!pid) return std::nullopt;
  return W3wpInstance{*pid, std::string(instance.substr(underscore + 1))};
}

std::set<std::string> MachinesWithProcessV2(const CounterLog& log) {
  std::set<std::string> out;
  for (const CounterPath& p : log.paths) {
    if (!p.has_instance || ClassifyObject(p.object) != ProcessObject::kProcessV2) continue;
    if (EnglishCounterName(p.counter).empty()) continue;
    if (SplitProcessV2Instance(p.instance).pid) out.insert(AsciiLower(p.machine));
  }
  return out;
}

}  // namespace perfleak::internal
