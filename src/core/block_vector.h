// BlockVector: an append-only array stored in fixed-size blocks that never move. Growing it never
// copies earlier elements (no 2x peak while a std::vector doubles, no capacity slack beyond one
// block), which matters for the Dataset's record arrays in a browser tab's 4 GB wasm32 heap.
// Not thread-safe for writes; references stay valid until Clear().
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

namespace winnow {

template <typename T, size_t kBlockShift = 15>
class BlockVector {
 public:
  static constexpr size_t kBlockSize = size_t{1} << kBlockShift;

  size_t size() const { return m_size; }
  bool empty() const { return m_size == 0; }
  void push_back(const T& v) {
    if ((m_size & (kBlockSize - 1)) == 0 && (m_size >> kBlockShift) == m_blocks.size()) {
      m_blocks.push_back(std::unique_ptr<T[]>(new T[kBlockSize]));  // default-initialized: untouched until written
    }
    m_blocks[m_size >> kBlockShift][m_size & (kBlockSize - 1)] = v;
    ++m_size;
  }
  T& operator[](size_t i) { return m_blocks[i >> kBlockShift][i & (kBlockSize - 1)]; }
  const T& operator[](size_t i) const { return m_blocks[i >> kBlockShift][i & (kBlockSize - 1)]; }
  // Bytes held by the blocks and the block table.
  size_t MemoryBytes() const { return m_blocks.size() * kBlockSize * sizeof(T) + m_blocks.capacity() * sizeof(void*); }
  void Clear() {
    m_blocks.clear();
    m_blocks.shrink_to_fit();
    m_size = 0;
  }

 private:
  std::vector<std::unique_ptr<T[]>> m_blocks;
  size_t m_size = 0;
};

}  // namespace winnow
