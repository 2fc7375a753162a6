// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104): Base58Check checksums of Bitcoin addresses and
// the keyed pseudonyms of pii.scrub. Portable, no third-party code (the wasm build has no crypto
// library; a few dozen lines beat compiling OpenSSL with emcc).
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

// HMAC-SHA-256 of data under key (any length; keys over 64 bytes are hashed first, as RFC 2104 says).
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

}  // namespace winnow::pii
