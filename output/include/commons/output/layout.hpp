// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Names fixed by results layout version 1 (docs/results-format.md). Readers and writers share
/// them so that a rename cannot split the two.

#include <string_view>

namespace commons::output::layout {

/// Value of the root attribute `format`.
inline constexpr std::string_view format_name = "commons-results";
/// Value of the root attribute `format_version`; bump on any incompatible layout change.
inline constexpr int format_version = 1;
/// Suffix of the file a sink writes before it renames it to its final name.
inline constexpr std::string_view partial_suffix = ".partial";

/// Groups under the root.
inline constexpr std::string_view runs_group = "runs";
inline constexpr std::string_view series_group = "series";
inline constexpr std::string_view summary_group = "summary";
inline constexpr std::string_view references_group = "references";
inline constexpr std::string_view agents_group = "agents";
/// Per-site series of a resource with sites: `[run, step, site]`, or `[run, step, y, x]` for a
/// grid (only when the resource has sites).
inline constexpr std::string_view sites_group = "sites";
/// The social network of each run: `degree_count[run, degree]` (only when the scenario has one).
inline constexpr std::string_view network_group = "network";
inline constexpr std::string_view degree_count_dataset = "degree_count";
/// A sweep's design: `unit[design_point, parameter]` and what the design was (only in a sweep).
inline constexpr std::string_view design_group = "design";
/// The files the scenario names, one scalar string dataset each, named by the scenario key.
inline constexpr std::string_view inputs_group = "inputs";
/// A sweep's analysis (`commons analyze`): statistics per point and sensitivity indices, with
/// the per-point statistics in its subgroup `points` (only after an analysis).
inline constexpr std::string_view analysis_group = "analysis";

/// Dimension (and coordinate) names.
inline constexpr std::string_view run_dimension = "run";
inline constexpr std::string_view step_dimension = "step";
inline constexpr std::string_view agent_dimension = "agent";
inline constexpr std::string_view site_dimension = "site";
/// A grid's rows and columns; site s is at y = s / columns, x = s % columns.
inline constexpr std::string_view y_dimension = "y";
inline constexpr std::string_view x_dimension = "x";
/// A graph of sites: its edges, `edge_from[edge]` and `edge_to[edge]` (site indices).
inline constexpr std::string_view edge_dimension = "edge";
inline constexpr std::string_view degree_dimension = "degree";
inline constexpr std::string_view design_point_dimension = "design_point";
inline constexpr std::string_view parameter_dimension = "parameter";

/// Root dataset holding the resolved scenario text.
inline constexpr std::string_view scenario_dataset = "scenario";

}  // namespace commons::output::layout
