// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to the scenario loader. A ScenarioError is the expected answer to bad
// input; any other exception, a crash, a sanitizer report or a hang is a finding.
//
// An input whose first line is "#--set PATH=VALUE" (a YAML comment, so seeds stay valid
// scenarios) also exercises the override path with that argument.
#include <commons/scenario/loader.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    std::vector<commons::scenario::Override> overrides;
    constexpr std::string_view marker = "#--set ";
    if (text.starts_with(marker)) {
      const auto end = text.find('\n');
      const auto argument = text.substr(marker.size(), end == std::string_view::npos ? std::string_view::npos
                                                                                      : end - marker.size());
      overrides.push_back(commons::scenario::parse_override(argument));
    }
    static_cast<void>(commons::scenario::load_scenario_text(text, "fuzz.yaml", overrides));
  } catch (const commons::scenario::ScenarioError&) {
    // Rejected input, as it should be.
  }
  return 0;
}
