/**
 * Builds the mock DataMiner System (agents, elements) and its alarms from a seed. Pure: no
 * files, no clock; times are passed in. The same seed and sizes give the same system and the
 * same alarms, call for call.
 */
import type { Alarm, AlarmProperties, Severity } from '../../shared/domain.js';
import { ROLES, SITES, ValueMaker, pickSeverity, type RoleSpec } from './alarm-catalog.js';
import { mulberry32, pick, randomInt, type Random } from './prng.js';

/** An element of the mock system; its strings are shared by all of its alarms. */
export interface MockElement {
  dmaId: string;
  elementId: string;
  name: string;
  role: RoleSpec;
}

/** A DataMiner Agent of the mock system with the next root alarm ID it will hand out. */
interface MockAgent {
  dmaId: string;
  nextAlarmId: number;
  elements: MockElement[];
}

/** Sizes of the mock system. */
export interface TopologyOptions {
  seed: number;
  agents: number;
  elementsPerAgent: number;
}

/** Properties shared by every alarm that has none: frozen, so nobody can write into it. */
export const NO_PROPERTIES: AlarmProperties = Object.freeze({});

const SEVERITY_ORDER: readonly Severity[] = ['Critical', 'Major', 'Minor', 'Warning', 'Normal'];
/** How far back the initial alarms' root times reach. */
const HISTORY_MS = 3 * 24 * 3600_000;

/** Whole seconds, as DataMiner shows alarm times. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/** The mock system's agents and elements, and the rules to raise and change their alarms. */
export class AlarmGenerator {
  readonly elements: readonly MockElement[];
  private readonly agentOf = new Map<MockElement, MockAgent>();
  private readonly byKey = new Map<string, MockElement>();
  private readonly values = new ValueMaker();

  constructor(options: TopologyOptions) {
    const random = mulberry32(options.seed);
    const agents = buildAgents(random, options);
    this.elements = agents.flatMap((a) => a.elements);
    for (const agent of agents) {
      for (const element of agent.elements) {
        this.agentOf.set(element, agent);
        this.byKey.set(`${element.dmaId}/${element.elementId}`, element);
      }
    }
  }

  /**
   * A new alarm on a random element, with the next root alarm ID of its agent. `rootTime`
   * and `time` are epoch ms; properties are attached by the caller.
   */
  raise(random: Random, rootTime: number, time: number): Alarm {
    const element = pick(random, this.elements);
    const agent = this.agentOf.get(element);
    if (!agent) throw new Error(`Element ${element.name} has no agent`);
    const alarmId = String(agent.nextAlarmId);
    agent.nextAlarmId += randomInt(random, 1, 3);
    const parameter = pick(random, element.role.parameters);
    const severity = pickSeverity(random);
    const rootIso = isoSeconds(rootTime);
    return {
      dmaId: element.dmaId,
      elementId: element.elementId,
      alarmId,
      elementName: element.name,
      parameter: parameter.name,
      value: this.values.make(random, parameter, severity),
      severity,
      time: time === rootTime ? rootIso : isoSeconds(time),
      rootTime: rootIso,
      properties: NO_PROPERTIES,
    };
  }

  /** The initial alarm list: `count` alarms whose times end at `endTime`. */
  initial(random: Random, count: number, endTime: number): Alarm[] {
    const alarms = new Array<Alarm>(count);
    for (let i = 0; i < count; i++) {
      const rootTime = endTime - Math.floor(random() * HISTORY_MS);
      // About a third of the alarms changed since they were raised.
      const time =
        random() < 0.35 ? rootTime + Math.floor(random() * (endTime - rootTime)) : rootTime;
      alarms[i] = this.raise(random, rootTime, time);
    }
    return alarms;
  }

  /**
   * The same alarm (same root key and root time) after an update: its severity moves one
   * step or stays, its value changes, its time becomes `time`. A new object: alarms are
   * immutable.
   */
  update(random: Random, alarm: Alarm, time: number): Alarm {
    const element = this.byKey.get(`${alarm.dmaId}/${alarm.elementId}`);
    const parameter = element?.role.parameters.find((p) => p.name === alarm.parameter);
    const at = SEVERITY_ORDER.indexOf(alarm.severity);
    const step = randomInt(random, -1, 1);
    const severity = SEVERITY_ORDER[Math.min(4, Math.max(0, at + step))] ?? alarm.severity;
    const value = parameter ? this.values.make(random, parameter, severity) : alarm.value;
    return { ...alarm, severity, value, time: isoSeconds(time) };
  }
}

function buildAgents(random: Random, options: TopologyOptions): MockAgent[] {
  const dmaIds = new Set<number>();
  const span = Math.max(900, options.agents * 10);
  while (dmaIds.size < options.agents) dmaIds.add(randomInt(random, 100, 99 + span));
  const names = new Set<string>();
  const agents: MockAgent[] = [];
  for (const dma of dmaIds) {
    const dmaId = String(dma);
    // Each agent mostly watches one region, as real DMAs are deployed per area.
    const homeSites = [pick(random, SITES), pick(random, SITES), pick(random, SITES)];
    let elementId = randomInt(random, 100, 400);
    const elements: MockElement[] = [];
    for (let i = 0; i < options.elementsPerAgent; i++) {
      const role = pick(random, ROLES);
      const site = pick(random, homeSites);
      let n = randomInt(random, 1, 12);
      let name = `${site}-${role.code}-${String(n).padStart(2, '0')}`;
      while (names.has(name)) {
        n++;
        name = `${site}-${role.code}-${String(n).padStart(2, '0')}`;
      }
      names.add(name);
      elements.push({ dmaId, elementId: String(elementId), name, role });
      elementId += randomInt(random, 1, 7);
    }
    agents.push({ dmaId, nextAlarmId: randomInt(random, 10_000, 60_000), elements });
  }
  return agents;
}
