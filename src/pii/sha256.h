// SHA-256 (FIPS 180-4), used only to verify Base58Check checksums of Bitcoin addresses.
// Portable, allocation-free, no third-party code.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace winnow::pii {

using Sha256Digest = std::array<uint8_t, 32>;
Sha256Digest Sha256(const uint8_t* data, size_t size);
inline Sha256Digest Sha256(std::string_view s) {
  return Sha256(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

}  // namespace winnow::pii
