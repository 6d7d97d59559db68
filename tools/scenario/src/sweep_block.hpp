// SPDX-License-Identifier: Apache-2.0
#pragma once
// A sweep (`sweep:`): a design over some of the scenario's parameters. The loader reads the block
// into a sim::SweepSpec, checks every design point as it checks a scenario (so that a sweep that
// loads is one whose every run starts), and makes each point's spec when a run needs it, from the
// scenario's document with the point's values set at their paths: the one way a path maps into
// a scenario, shared with --set.

#include "attached_files.hpp"
#include "document.hpp"

#include <commons/sim/registry.hpp>
#include <commons/sim/sink.hpp>
#include <commons/sim/spec.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace commons::scenario::detail {

/// Reads the validated `sweep` block of `document` (the scenario as written). `variants` are the
/// names of the comparison's variants (empty without one); without a `variant` factor they
/// become the one lever. Throws ScenarioError at the offending key.
[[nodiscard]] sim::SweepSpec read_sweep(const Document& document, const std::vector<std::string>& variants,
                                        std::uint64_t scenario_seed, std::int64_t scenario_replicates);

/// Makes the spec of any design point from the documents of the scenario's variants (validated,
/// defaults not filled in, without `sweep` or `compare`).
class SweepPoints final : public sim::PointSpecs {
 public:
  /// `templates[v]` is the document of variant v (the scenario itself without a comparison);
  /// `names[v]` its name ("" without a comparison).
  SweepPoints(std::vector<Document> templates, std::vector<std::string> names, std::string source,
              std::filesystem::path directory, sim::SweepSpec sweep);

  [[nodiscard]] std::shared_ptr<const sim::ScenarioSpec> make(std::int64_t variant,
                                                              std::span<const double> values) const override;
  [[nodiscard]] std::vector<sim::RunLayout> layouts(const sim::Registry& registry) const override;
  [[nodiscard]] std::int64_t layout_of(std::int64_t point, std::int64_t policy) const override;
  [[nodiscard]] std::shared_ptr<const sim::ScenarioSpec> largest() const override;

  /// Checks every design point and policy as the loader checks a scenario, and with a registry
  /// as a run would (sim::preflight), in parallel; reports the first bad point in plan order at
  /// the factor's key in the file (`file`: the scenario as written, for locations). With a
  /// registry, also learns what the runs record (layouts()).
  void check_all(const Document& file, const sim::Registry* registry);

 private:
  /// The document of one point, values set, locations of the values at the factors' keys.
  [[nodiscard]] Document point_document(std::int64_t variant, std::span<const double> values,
                                        const Document* file) const;
  [[nodiscard]] sim::ScenarioSpec build_point(Document& document, std::int64_t variant) const;

  std::vector<Document> templates_;
  std::vector<std::string> names_;
  std::string source_;
  std::filesystem::path directory_;
  sim::SweepSpec sweep_;
  /// Whether any template names a file, which every point then reads again.
  std::vector<bool> names_files_;
  /// Files read for each template, used when no template names one.
  std::vector<AttachedFiles> files_;

  /// Walks every design point and policy in parallel: checks each when `file` is given, learns
  /// the layouts with a registry, and finds the point with the most agents.
  void survey(const Document* file, const sim::Registry* registry) const;

  /// Learnt by survey() with a registry: the distinct layouts, and each point and policy's.
  mutable std::mutex layouts_mutex_;
  mutable bool layouts_known_ = false;
  mutable std::vector<sim::RunLayout> layouts_;
  mutable std::vector<std::int32_t> layout_of_;
  /// The point with the most agents: its variant and values.
  mutable std::int64_t largest_variant_ = 0;
  mutable std::vector<double> largest_values_;
  std::int64_t policies_ = 1;
};

}  // namespace commons::scenario::detail
