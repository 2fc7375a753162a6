// Result<T>: a value or an Error, for operational failures (unreadable file, bad config).
// Problems in *data* are not errors: they are verdicts/issues and processing goes on.
// Needs only the standard library (libc++ 14 has no std::expected).
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace winnow {

// code: a short machine-readable identifier ("io_error", "bad_config", ...);
// message: a human-readable sentence naming the file / key / value involved.
struct Error {
  std::string code;
  std::string message;
};

template <class T>
class Result {
 public:
  Result(T value) : m_v(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : m_v(std::move(error)) {}      // NOLINT
  bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(m_v); }
  const T& value() const { return std::get<0>(m_v); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(m_v); }

 private:
  std::variant<T, Error> m_v;
};

// Result<void> equivalent.
class Status {
 public:
  Status() = default;
  Status(Error e) : m_error(std::move(e)), m_failed(true) {}  // NOLINT
  static Status Ok() { return Status(); }
  bool ok() const { return !m_failed; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return m_error; }

 private:
  Error m_error;
  bool m_failed = false;
};

}  // namespace winnow
