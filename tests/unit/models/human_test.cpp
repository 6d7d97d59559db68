// SPDX-License-Identifier: Apache-2.0
// Human seats answered by a scripted stand-in: answers, defaults at the deadline, clamping,
// failures that must not stop a run, what a seat is told, and determinism across executors.
// Deadlines are short (0.05 s) so silent seats cost little; no assertion depends on timing.

#include <commons/models/behaviour/human.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>
#include <scripted_seats.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace commons::models {
namespace {

using testing::FisheryParameters;
using testing::ScriptedSeats;
using Timing = ScriptedSeats::Timing;

constexpr double short_deadline = 0.05;  // [s]

sim::ComponentSpec human(std::map<std::string, sim::ParameterValue, std::less<>> values) {
  return {"human", sim::Parameters(std::move(values)), "/agents/0/behaviour"};
}

sim::ScenarioSpec scenario(sim::ComponentSpec behaviour, std::int64_t agents, std::int64_t steps) {
  return testing::fishery_scenario(FisheryParameters{}, std::move(behaviour), agents, steps);
}

/// Effort of every agent after each step, [step][agent].
std::vector<std::vector<double>> efforts(const sim::ScenarioSpec& spec, sim::SeatBroker* seats,
                                         sim::ExecutionPolicy policy = {}) {
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, policy, seats);
  std::vector<std::vector<double>> seen;
  while (!run.done()) {
    run.step();
    seen.push_back(run.agents().effort);
  }
  return seen;
}

/// One cohort of human seats built outside a run, to read its default counts.
struct Classroom {
  explicit Classroom(std::size_t seats, sim::Parameters values, sim::SeatBroker* broker) {
    agents.append_group(0, seats, economics.cost_per_effort);
    const sim::GroupContext group{0,        "class", 0,     seats,         10, economics, random, agents.id,
                                  seats,    *resource, nullptr, broker, 3};
    behaviour = std::make_unique<Human>(values, group);
  }
  void decide(std::int64_t step) {
    const sim::StepContext context{step, random, economics, observation, policy, *resource, previous};
    behaviour->decide(context, sim::AgentSpan{&agents, 0, agents.size()});
  }

  sim::Economics economics{10.0, 25.0, 0.0};
  sim::RandomStream random{7, 0};
  std::unique_ptr<sim::Resource> resource = default_registry().make_resource(testing::fishery(FisheryParameters{}));
  sim::Observation observation;
  sim::ExecutionPolicy policy;
  sim::StepOutcome previous;
  sim::AgentTable agents;
  std::unique_ptr<Human> behaviour;
};

TEST(Human, AnsweredSeats_PlayTheirAnswers) {
  ScriptedSeats seats;
  const double answers[3][3] = {{1.0, 2.5, 0.0}, {4.0, 0.25, 3.0}, {0.5, 0.5, 8.0}};
  for (std::int64_t s = 0; s < 3; ++s)
    for (std::uint64_t id = 0; id < 3; ++id)
      seats.answer(s, id, answers[s][id]);
  const std::vector<std::vector<double>> expected = {{1.0, 2.5, 0.0}, {4.0, 0.25, 3.0}, {0.5, 0.5, 8.0}};
  EXPECT_EQ(efforts(scenario(human({{"deadline_seconds", short_deadline}}), 3, 3), &seats), expected);
}

TEST(Human, SilentSeats_TakeFixedDefaultAtDeadline) {
  ScriptedSeats seats;
  seats.answer(0, 0, 3.0);
  seats.answer(1, 1, 6.0);  // seat 0 is silent at step 1, seat 2 always
  const auto spec = scenario(human({{"default", std::string("fixed")},
                                    {"default_effort", 2.5},
                                    {"deadline_seconds", short_deadline}}),
                             3, 2);
  const std::vector<std::vector<double>> expected = {{3.0, 2.5, 2.5}, {2.5, 6.0, 2.5}};
  EXPECT_EQ(efforts(spec, &seats), expected);
}

TEST(Human, SilentSeats_RepeatTheirLastEffortByDefault) {
  ScriptedSeats seats;
  seats.answer(0, 0, 3.0);
  seats.answer(2, 1, 4.0);
  const auto spec = scenario(human({{"default_effort", 1.5}, {"deadline_seconds", short_deadline}}), 2, 4);
  // Seat 0 repeats its answer; seat 1 plays default_effort until it first answers, then repeats.
  const std::vector<std::vector<double>> expected = {{3.0, 1.5}, {3.0, 1.5}, {3.0, 4.0}, {3.0, 4.0}};
  EXPECT_EQ(efforts(spec, &seats), expected);
}

TEST(Human, AnswerAfterDeadline_IsIgnored) {
  ScriptedSeats seats;
  seats.answer_after(0, 0, 5.0, std::chrono::milliseconds(20));  // well inside a 60 s deadline
  seats.answer_after(0, 1, 5.0, std::chrono::milliseconds(20));
  EXPECT_EQ(efforts(scenario(human({{"default_effort", 1.0}}), 2, 1), &seats),
            (std::vector<std::vector<double>>{{5.0, 5.0}}));

  ScriptedSeats late;
  late.answer(0, 0, 5.0);
  late.answer_after(0, 1, 5.0, std::chrono::minutes(10));  // the broker cancels it when destroyed
  EXPECT_EQ(efforts(scenario(human({{"default_effort", 1.0}, {"deadline_seconds", short_deadline}}), 2, 1), &late),
            (std::vector<std::vector<double>>{{5.0, 1.0}}));
}

TEST(Human, Answers_AreClampedToTheCap) {
  ScriptedSeats seats;
  const double answers[] = {-1.0, 7.0, std::numeric_limits<double>::infinity(), 2.0,
                            std::numeric_limits<double>::quiet_NaN()};
  for (std::uint64_t id = 0; id < 5; ++id) seats.answer(0, id, answers[id]);
  const auto spec = scenario(
      human({{"max_effort", 4.0}, {"default_effort", 0.5}, {"deadline_seconds", short_deadline}}), 5, 1);
  // NaN is no answer: the seat takes its default.
  EXPECT_EQ(efforts(spec, &seats), (std::vector<std::vector<double>>{{0.0, 4.0, 4.0, 2.0, 0.5}}));
}

TEST(Human, UnboundedInfiniteAnswer_TakesDefault) {
  ScriptedSeats seats;
  seats.answer(0, 0, std::numeric_limits<double>::infinity());
  const auto spec = scenario(human({{"default_effort", 0.5}, {"deadline_seconds", short_deadline}}), 1, 1);
  EXPECT_EQ(efforts(spec, &seats), (std::vector<std::vector<double>>{{0.5}}));
}

TEST(Human, FailingSeats_TakeDefaultWithoutThrowing) {
  ScriptedSeats seats;
  seats.answer(0, 0, 3.0);
  seats.set(0, 1, {9.0, Timing::broken, {}});
  seats.set(0, 2, {9.0, Timing::failing, {}});
  seats.set(0, 3, {9.0, Timing::throws, {}});
  const auto spec = scenario(human({{"default_effort", 1.0}, {"deadline_seconds", short_deadline}}), 4, 1);
  std::vector<std::vector<double>> seen;
  ASSERT_NO_THROW(seen = efforts(spec, &seats));
  EXPECT_EQ(seen, (std::vector<std::vector<double>>{{3.0, 1.0, 1.0, 1.0}}));
}

TEST(Human, NoBroker_EverySeatTakesItsDefault) {
  const auto fixed = scenario(human({{"default", std::string("fixed")}, {"default_effort", 2.0}}), 2, 2);
  EXPECT_EQ(efforts(fixed, nullptr), (std::vector<std::vector<double>>{{2.0, 2.0}, {2.0, 2.0}}));
  // The default deadline is a minute; without a broker nobody is waited for.
  const auto repeat = scenario(human({}), 2, 2);
  EXPECT_EQ(efforts(repeat, nullptr), (std::vector<std::vector<double>>{{0.0, 0.0}, {0.0, 0.0}}));
}

TEST(Human, Requests_TellTheSeatItsLastStepAndDefault) {
  ScriptedSeats seats;
  seats.answer(0, 0, 2.0);
  seats.answer(0, 1, 6.0);
  const auto spec = scenario(human({{"max_effort", 10.0}, {"default_effort", 1.0}, {"deadline_seconds", short_deadline}}),
                             2, 2);
  sim::Run run(spec, default_registry(), sim::RunTask{4, 0, spec.seed, {}}, {}, &seats);
  run.step();
  const std::vector<double> income = run.agents().income;
  run.step();
  const std::vector<sim::SeatRequest> requests = seats.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (std::uint64_t id = 0; id < 2; ++id) {
    const sim::SeatRequest& first = requests[id];
    EXPECT_EQ(first.run, 4);
    EXPECT_EQ(first.step, 0);
    EXPECT_EQ(first.agent_id, id);
    EXPECT_EQ(first.group, "boats");
    EXPECT_EQ(first.last_effort, 0.0);
    EXPECT_EQ(first.last_income, 0.0);
    EXPECT_EQ(first.total_effort_last, 0.0);
    EXPECT_EQ(first.agent_count, 0u);
    EXPECT_EQ(first.effort_limit, 10.0);
    EXPECT_EQ(first.default_effort, 1.0);
  }
  const double answered[] = {2.0, 6.0};
  for (std::uint64_t id = 0; id < 2; ++id) {
    const sim::SeatRequest& second = requests[2 + id];
    EXPECT_EQ(second.step, 1);
    EXPECT_EQ(second.agent_id, id);
    EXPECT_EQ(second.last_effort, answered[id]);
    EXPECT_EQ(second.last_income, income[id]);
    EXPECT_EQ(second.total_effort_last, 8.0);
    EXPECT_EQ(second.agent_count, 2u);
    EXPECT_EQ(second.default_effort, answered[id]);  // repeat
  }
}

TEST(Human, DefaultsApplied_AreCountedPerSeat) {
  ScriptedSeats seats;
  seats.answer(0, 0, 1.0);
  seats.set(0, 2, {0.0, Timing::failing, {}});
  seats.answer(1, 1, 2.0);
  seats.answer(1, 2, std::numeric_limits<double>::quiet_NaN());
  Classroom room(3, sim::Parameters({{"deadline_seconds", short_deadline}}), &seats);
  room.decide(0);
  room.decide(1);
  const std::vector<std::uint64_t> counts(room.behaviour->defaults_applied().begin(),
                                          room.behaviour->defaults_applied().end());
  EXPECT_EQ(counts, (std::vector<std::uint64_t>{1, 1, 2}));
  EXPECT_EQ(room.agents.effort, (std::vector<double>{1.0, 2.0, 0.0}));
  EXPECT_EQ(room.behaviour->parameters().fallback, Human::Default::repeat);

  Classroom alone(2, sim::Parameters{}, nullptr);
  alone.decide(0);
  alone.decide(1);
  alone.decide(2);
  EXPECT_EQ(alone.behaviour->defaults_applied()[0], 3u);
  EXPECT_EQ(alone.behaviour->defaults_applied()[1], 3u);
}

TEST(Human, WithCommunication_SeatsMakeNoPledge) {
  ScriptedSeats seats;
  seats.answer(0, 0, 1.0);
  auto spec = scenario(human({{"deadline_seconds", short_deadline}}), 2, 1);
  spec.communication.mode = sim::CommunicationSpec::Mode::repeated;
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, {}, &seats);
  run.step();
  for (double pledge : run.agents().pledge) EXPECT_TRUE(std::isnan(pledge));
}

TEST(Human, InvalidParameters_Throw) {
  EXPECT_THROW((void)Human::Parameters::from(sim::Parameters({{"default", std::string("random")}})), sim::SpecError);
  EXPECT_THROW((void)Human::Parameters::from(sim::Parameters({{"deadline_seconds", 0.0}})), sim::SpecError);
  EXPECT_THROW((void)Human::Parameters::from(sim::Parameters({{"deadline_seconds", -1.0}})), sim::SpecError);
  const Human::Parameters defaults = Human::Parameters::from(sim::Parameters{});
  EXPECT_EQ(defaults.fallback, Human::Default::repeat);
  EXPECT_EQ(defaults.deadline_seconds, 60.0);
}

TEST(Human, ScriptedStandIn_SameRunOnOneOrManyThreads) {
  // More agents than one block (4096), so the parallel executor asks from several threads.
  constexpr std::int64_t agents = 5000;
  constexpr std::int64_t steps = 3;
  const auto spec = scenario(human({{"default_effort", 0.75}, {"deadline_seconds", short_deadline}}), agents, steps);
  auto script = [](ScriptedSeats& seats) {
    for (std::int64_t s = 0; s < steps; ++s)
      for (std::uint64_t id = 0; id < static_cast<std::uint64_t>(agents); ++id)
        if ((id + static_cast<std::uint64_t>(s)) % 7 != 0)  // every seventh seat stays silent
          seats.answer(s, id, 0.001 * static_cast<double>((id * 31 + static_cast<std::uint64_t>(s) * 17) % 100));
  };
  auto outcome = [&](sim::ExecutionPolicy policy) {
    ScriptedSeats seats;
    script(seats);
    sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, policy, &seats);
    while (!run.done()) run.step();
    return std::make_tuple(run.agents().effort, run.agents().income, run.agents().cumulative_income,
                           run.resource().stock());
  };
  const auto serial = outcome(sim::ExecutionPolicy{false});
  const auto parallel = outcome(sim::ExecutionPolicy{true});
  EXPECT_EQ(serial, parallel);
  // Seat 0 answers at the last step; seat 5 is silent then and repeats its step-1 answer.
  EXPECT_EQ(std::get<0>(serial)[0], 0.001 * static_cast<double>((0 * 31 + 2 * 17) % 100));
  EXPECT_EQ(std::get<0>(serial)[5], 0.001 * static_cast<double>((5 * 31 + 1 * 17) % 100));
}

}  // namespace
}  // namespace commons::models
