// LoadedSource: an ExampleSource over what the studio loaded (a Dataset plus the rows that could
// not be read), replaying rows and problems in file order, so a run in the studio sees exactly
// what `winnow run` sees when it reads the same file.
#pragma once
#include <memory>

#include "pipeline/example_source.h"
#include "ui/dataset_loader.h"

namespace winnow::ui {

// The loader must outlive the source and not change while it is read.
std::unique_ptr<ExampleSource> MakeLoadedSource(const DatasetLoader& loaded);

}  // namespace winnow::ui
