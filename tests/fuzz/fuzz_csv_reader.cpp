// libFuzzer target: the csv reader (see fuzz_reader_common.h for the invariants checked).
#include "fuzz_reader_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  winnow::FuzzReader(data, size, winnow::FileKind::Csv, "data.csv");
  return 0;
}
