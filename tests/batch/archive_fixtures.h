// Case bundles built in the tests: archives written with libarchive (zip, 7z, tar, tar.gz),
// cabinets with gcab, and a zip bomb generated as a stream (never inflated to disk).
// Header-only because tests/batch and tests/cli both use it.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"

namespace perfleak::testing {

enum class ArchiveKind : std::uint8_t { kZip, kSevenZip, kTar, kTarGz };

struct ArchiveMember {
  std::string name;
  std::string data;
};

/// The bytes of an archive of `members`; `passphrase` encrypts a zip (traditional PKWARE).
inline std::string WriteArchive(const std::vector<ArchiveMember>& members, ArchiveKind kind,
                                const char* passphrase = nullptr) {
  std::string out;
  archive* a = archive_write_new();
  switch (kind) {
    case ArchiveKind::kZip:
      archive_write_set_format_zip(a);
      break;
    case ArchiveKind::kSevenZip:
      archive_write_set_format_7zip(a);
      break;
    case ArchiveKind::kTar:
      archive_write_set_format_pax_restricted(a);
      break;
    case ArchiveKind::kTarGz:
      archive_write_set_format_pax_restricted(a);
      archive_write_add_filter_gzip(a);
      break;
  }
  if (passphrase != nullptr) {
    archive_write_set_options(a, "zip:encryption=zipcrypt");
    archive_write_set_passphrase(a, passphrase);
  }
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(
      a, &out, nullptr,
      [](archive*, void* client, const void* buffer, std::size_t length) -> la_ssize_t {
        static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
        return static_cast<la_ssize_t>(length);
      },
      nullptr);
  for (const ArchiveMember& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_copy_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
    archive_entry_set_mtime(e, 1764000000, 0);
    archive_write_header(a, e);
    archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

/// Every regular file under `root` as a member named by its path relative to `root`, under
/// `prefix` (`TSS/Perfmon/`), in sorted order.
inline std::vector<ArchiveMember> FolderMembers(const std::string& root,
                                                const std::string& prefix) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ArchiveMember> members;
  for (const auto& f : files) {
    members.push_back(
        {prefix + std::filesystem::relative(f, root).string(), ReadFileToString(f.string())});
  }
  return members;
}

/// True when `gcab` (Debian package gcab) is on the PATH.
inline bool HaveGcab() { return std::system("gcab --version >/dev/null 2>&1") == 0; }

/// Writes the cabinet `cab` of the files under `dir` (MSZIP-compressed, paths kept). False
/// when gcab failed.
inline bool WriteCab(const std::string& dir, const std::string& cab) {
  const std::string command = "cd '" + dir + "' && find . -type f | sed 's|^\\./||' | sort | " +
                              "xargs gcab -c -z '" + cab + "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// Bits into bytes, least significant bit first (RFC 1951, 3.1.1).
class BitWriter {
 public:
  void Bits(std::uint32_t value, int count) {
    for (int i = 0; i < count; ++i) Bit((value >> i) & 1u);
  }
  // A Huffman code: most significant bit first.
  void Code(std::uint32_t code, int length) {
    for (int i = length - 1; i >= 0; --i) Bit((code >> i) & 1u);
  }
  void ZeroBits(std::uint64_t count) {
    while (count > 0 && used_ != 0) {
      Bit(0);
      --count;
    }
    out_.append(count / 8, '\0');
    for (std::uint64_t i = 0; i < count % 8; ++i) Bit(0);
  }
  std::string Finish() {
    if (used_ != 0) out_ += static_cast<char>(current_);
    used_ = 0;
    return std::move(out_);
  }

 private:
  void Bit(std::uint32_t bit) {
    current_ = static_cast<std::uint8_t>(current_ | (bit << used_));
    if (++used_ == 8) {
      out_ += static_cast<char>(current_);
      current_ = 0;
      used_ = 0;
    }
  }
  std::string out_;
  std::uint8_t current_ = 0;
  int used_ = 0;
};

/// A raw deflate stream of `1 + 258 * matches` spaces at the format's best ratio: one dynamic
/// block whose only codes are the literal ' ' and end of block (2 bits) and length 258 and
/// distance 1 (1 bit each), so every 258 bytes cost 2 bits and the body is zero bytes. Spaces,
/// not zeros: inflated zeros read as an empty tar, which would end the test before the bomb.
inline std::string DeflateSpaces(std::uint64_t matches) {
  BitWriter w;
  w.Bits(1, 1);   // BFINAL
  w.Bits(2, 2);   // BTYPE = dynamic
  w.Bits(29, 5);  // HLIT: 286 literal/length codes
  w.Bits(0, 5);   // HDIST: 1 distance code
  w.Bits(14, 4);  // HCLEN: 18 code length codes
  // Code length code lengths in RFC order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
  // symbol 18 (a run of zeros) 1 bit, symbols 1 and 2 two bits.
  for (int len : {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2}) {
    w.Bits(static_cast<std::uint32_t>(len), 3);
  }
  const auto unused = [&](std::uint32_t n) {  // symbol 18 = code 0, 7 extra bits of n - 11
    w.Code(0, 1);
    w.Bits(n - 11, 7);
  };
  const auto length = [&](std::uint32_t symbol) { w.Code(symbol == 1 ? 2 : 3, 2); };
  unused(32);               // literals 0..31
  length(2);                // literal ' ' (32): 2 bits
  unused(138);              // literals 33..170
  unused(85);               // literals 171..255
  length(2);                // 256, end of block: 2 bits
  unused(28);               // lengths 257..284
  length(1);                // 285, length 258: 1 bit
  length(1);                // distance 0 (distance 1): 1 bit
  w.Code(2, 2);             // literal ' ' (canonical codes: 285 = 0, ' ' = 10, end of block = 11)
  w.ZeroBits(2 * matches);  // each match: length code 0, distance code 0
  w.Code(3, 2);             // end of block
  return w.Finish();
}

inline void AppendLe32(std::string* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) *out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

/// CRC-32 of `n` spaces, by doubling with zlib's crc32_combine.
inline std::uint32_t Crc32OfSpaces(std::uint64_t n) {
  constexpr std::uint64_t kBlock = 1 << 16;
  const std::string block(kBlock, ' ');
  const auto crc_of = [&](std::uint64_t len) {
    return crc32(0, reinterpret_cast<const Bytef*>(block.data()), static_cast<uInt>(len));
  };
  uLong block_crc = crc_of(kBlock);
  uLong crc = 0;
  std::uint64_t len = kBlock;
  for (std::uint64_t blocks = n / kBlock; blocks > 0; blocks >>= 1) {
    if ((blocks & 1) != 0) crc = crc32_combine(crc, block_crc, static_cast<z_off_t>(len));
    block_crc = crc32_combine(block_crc, block_crc, static_cast<z_off_t>(len));
    len *= 2;
  }
  return static_cast<std::uint32_t>(
      crc32_combine(crc, crc_of(n % kBlock), static_cast<z_off_t>(n % kBlock)));
}

/// A gzip file of about `bytes` spaces, written as a stream (about bytes / 1032 long).
inline std::string GzipOfSpaces(std::uint64_t bytes) {
  const std::uint64_t matches = (bytes - 1) / 258;
  const std::uint64_t total = 1 + 258 * matches;
  std::string gz("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  gz += DeflateSpaces(matches);
  AppendLe32(&gz, Crc32OfSpaces(total));
  AppendLe32(&gz, static_cast<std::uint32_t>(total & 0xFFFFFFFFu));
  return gz;
}

/// gzip (zlib, best compression) of `data`.
inline std::string Gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/// A zip of under 1 KB whose member `DataCollector01.blg.gz` inflates to `bytes` (10 GB):
/// three layers of deflate (the zip's, then a gzip of a gzip of spaces), each at deflate's
/// ratio of about 1000.
inline std::string ZipBomb(std::uint64_t bytes) {
  return WriteArchive({{"TSS/Perfmon/DataCollector01.blg.gz", Gzip(GzipOfSpaces(bytes))}},
                      ArchiveKind::kZip);
}

}  // namespace perfleak::testing
