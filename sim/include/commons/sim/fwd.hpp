// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Forward declarations of the engine's types, for headers that only pass them along.

namespace commons::sim {

struct AgentSpan;
struct AgentTable;
class Behaviour;
struct ComponentSpec;
struct Economics;
struct ExecutionPolicy;
struct ExecutorOptions;
struct ExecutionReport;
struct GovernanceLedger;
struct GroupContext;
class Network;
struct Observation;
class Parameters;
struct PlanInfo;
class ProgressObserver;
class RandomStream;
class SeatBroker;
struct SeatRequest;
struct StepOutcome;
struct Distribution;
struct Table;
struct NetworkSpec;
struct CommunicationSpec;
struct BehaviourShare;
class Registry;
class Resource;
class Rule;
struct RuleContext;
class Run;
struct RunResult;
struct RunTask;
struct ScenarioSpec;
class Sink;
struct StepContext;
struct VariableInfo;

}  // namespace commons::sim
