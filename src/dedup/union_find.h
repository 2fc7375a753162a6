// Union-find over dense indices 0..n-1. The root of a set is always its smallest index, so the
// representative of a cluster is its first member in input order (deterministic by construction).
#pragma once
#include <cstdint>
#include <vector>

namespace winnow {

class UnionFind {
 public:
  uint32_t Add() {
    m_parent.push_back(static_cast<uint32_t>(m_parent.size()));
    return m_parent.back();
  }
  size_t size() const { return m_parent.size(); }
  uint32_t Find(uint32_t x) {
    while (m_parent[x] != x) {
      m_parent[x] = m_parent[m_parent[x]];  // path halving
      x = m_parent[x];
    }
    return x;
  }
  // Returns true when a and b were in different sets.
  bool Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return false;
    if (a < b) {
      m_parent[b] = a;
    } else {
      m_parent[a] = b;
    }
    return true;
  }

 private:
  std::vector<uint32_t> m_parent;
};

}  // namespace winnow
