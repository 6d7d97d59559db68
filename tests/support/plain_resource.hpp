// SPDX-License-Identifier: Apache-2.0
#pragma once
// A resource that is R in every respect but its shortcuts: it forwards the core of
// sim::Resource to an R and leaves the batch and closed-form extras (harvest_if_each,
// best_response_effort) at the interface's defaults, which fall back on harvest_if and on
// search. Behaviours run against R and against PlainResource<R> must give the same bits
// wherever the shortcut promises them.

#include <commons/sim/resource.hpp>

#include <utility>

namespace commons::testing {

template <class R>
class PlainResource final : public sim::Resource {
 public:
  template <class... Arguments>
  explicit PlainResource(Arguments&&... arguments) : inner_(std::forward<Arguments>(arguments)...) {}

  [[nodiscard]] sim::Observation observe() const override { return inner_.observe(); }
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override {
    return inner_.harvest(actions, harvest, policy);
  }
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override {
    return inner_.harvest_if(own_effort, others_effort);
  }
  [[nodiscard]] std::optional<double> effort_limit() const override { return inner_.effort_limit(); }
  void set_economics(const sim::Economics& economics) override { inner_.set_economics(economics); }
  void set_random(const sim::RandomStream& random) override { inner_.set_random(random); }
  void grow() override { inner_.grow(); }
  [[nodiscard]] double stock() const override { return inner_.stock(); }
  [[nodiscard]] double collapse_threshold() const override { return inner_.collapse_threshold(); }
  [[nodiscard]] const sim::ResourceEconomics* economics() const override { return inner_.economics(); }
  [[nodiscard]] sim::UnitSystem units() const override { return inner_.units(); }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override { return inner_.variables(); }
  void sample(std::span<double> values) const override { inner_.sample(values); }

  [[nodiscard]] const R& inner() const { return inner_; }

 private:
  R inner_;
};

}  // namespace commons::testing
