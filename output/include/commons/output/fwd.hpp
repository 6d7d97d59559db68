// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Forward declarations, so headers that only pass these types around stay light.

namespace commons::output {

class AtomicFile;
struct DataGroup;
class OutputError;
struct Provenance;
class Hdf5Sink;
class ResultsFile;
struct StoredVariable;

}  // namespace commons::output
