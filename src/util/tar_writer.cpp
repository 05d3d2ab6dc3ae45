#include "gardensync/util/tar_writer.h"

#include <array>
#include <cstring>

namespace gardensync::util {

namespace {

// Offsets and widths of the ustar header fields.
constexpr std::size_t kName = 0, kNameSize = 100;
constexpr std::size_t kMode = 100, kUid = 108, kGid = 116, kIdSize = 8;
constexpr std::size_t kSize = 124, kMtime = 136, kNumberSize = 12;
constexpr std::size_t kChecksum = 148, kChecksumSize = 8;
constexpr std::size_t kType = 156;
constexpr std::size_t kLink = 157, kLinkSize = 100;
constexpr std::size_t kMagic = 257;

using Block = std::array<char, kTarBlock>;

// The largest value an octal field of `width` bytes holds (width - 1 digits, then NUL).
std::uint64_t octalLimit(std::size_t width) { return (std::uint64_t{1} << (3 * (width - 1))) - 1; }

void putOctal(Block& block, std::size_t offset, std::size_t width, std::uint64_t value) {
  for (std::size_t i = width - 1; i-- > 0; value >>= 3) block[offset + i] = static_cast<char>('0' + (value & 7));
  block[offset + width - 1] = '\0';
}

void putText(Block& block, std::size_t offset, std::size_t width, const std::string& text) {
  std::memcpy(block.data() + offset, text.data(), std::min(width, text.size()));
}

// One pax record: "<length> key=value\n", where the length counts its own digits too.
std::string paxRecord(const std::string& key, const std::string& value) {
  const std::size_t rest = 1 + key.size() + 1 + value.size() + 1;  // " key=value\n"
  std::size_t length = rest + 1;
  while (std::to_string(length).size() + rest != length) length = std::to_string(length).size() + rest;
  return std::to_string(length) + " " + key + "=" + value + "\n";
}

void appendBlock(std::string& out, Block& block, char type) {
  block[kType] = type;
  std::memcpy(block.data() + kMagic, "ustar\0" "00", 8);
  std::memset(block.data() + kChecksum, ' ', kChecksumSize);
  unsigned sum = 0;
  for (char c : block) sum += static_cast<unsigned char>(c);
  putOctal(block, kChecksum, kChecksumSize - 1, sum);  // six digits, NUL, then the space left in place
  out.append(block.data(), block.size());
}

}  // namespace

std::size_t tarPadding(std::uint64_t size) { return static_cast<std::size_t>((kTarBlock - size % kTarBlock) % kTarBlock); }

void appendTarHeader(std::string& out, const TarHeader& entry) {
  const bool directory = entry.type == TarHeader::Type::Directory;
  const std::string name = directory ? entry.path + "/" : entry.path;
  const std::uint64_t size = entry.type == TarHeader::Type::File ? entry.size : 0;
  std::string pax;
  if (name.size() > kNameSize) pax += paxRecord("path", name);
  if (entry.linkTarget.size() > kLinkSize) pax += paxRecord("linkpath", entry.linkTarget);
  if (entry.uid > octalLimit(kIdSize)) pax += paxRecord("uid", std::to_string(entry.uid));
  if (entry.gid > octalLimit(kIdSize)) pax += paxRecord("gid", std::to_string(entry.gid));
  if (size > octalLimit(kNumberSize)) pax += paxRecord("size", std::to_string(size));
  const bool mtimeFits = entry.mtime >= 0 && static_cast<std::uint64_t>(entry.mtime) <= octalLimit(kNumberSize);
  if (!mtimeFits) pax += paxRecord("mtime", std::to_string(entry.mtime));

  if (!pax.empty()) {
    Block header{};
    putText(header, kName, kNameSize, "PaxHeaders/" + name.substr(0, kNameSize - 11));
    putOctal(header, kMode, kIdSize, 0644);
    putOctal(header, kUid, kIdSize, 0);
    putOctal(header, kGid, kIdSize, 0);
    putOctal(header, kSize, kNumberSize, pax.size());
    putOctal(header, kMtime, kNumberSize, 0);
    appendBlock(out, header, 'x');
    out += pax;
    out.append(tarPadding(pax.size()), '\0');
  }

  Block header{};
  putText(header, kName, kNameSize, name);
  putOctal(header, kMode, kIdSize, entry.mode & 07777);
  putOctal(header, kUid, kIdSize, entry.uid > octalLimit(kIdSize) ? 0 : entry.uid);
  putOctal(header, kGid, kIdSize, entry.gid > octalLimit(kIdSize) ? 0 : entry.gid);
  putOctal(header, kSize, kNumberSize, size > octalLimit(kNumberSize) ? 0 : size);
  putOctal(header, kMtime, kNumberSize, mtimeFits ? static_cast<std::uint64_t>(entry.mtime) : 0);
  if (entry.type == TarHeader::Type::Symlink) putText(header, kLink, kLinkSize, entry.linkTarget);
  appendBlock(out, header, directory ? '5' : entry.type == TarHeader::Type::Symlink ? '2' : '0');
}

void appendTarEnd(std::string& out) { out.append(2 * kTarBlock, '\0'); }

}  // namespace gardensync::util
