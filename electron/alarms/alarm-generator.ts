/**
 * Builds the mock DataMiner System (agents, elements) and its alarms from a seed. Pure: no
 * files, no clock; times are passed in. The same seed and sizes give the same system and the
 * same alarms, call for call. Like DataMiner, the system holds at most one active alarm per
 * element and parameter (a "slot"); the caller says which slots are taken.
 */
import type { Alarm, AlarmProperties, Severity } from '../../shared/domain.js';
import { ROLES, SITES, ValueMaker, pickActiveSeverity, type RoleSpec } from './alarm-catalog.js';
import { mulberry32, pick, randomInt, type Random } from './prng.js';

/** An element of the mock system; its strings are shared by all of its alarms. */
export interface MockElement {
  dmaId: string;
  elementId: string;
  name: string;
  role: RoleSpec;
}

/** A DataMiner Agent of the mock system with the next alarm ID it will hand out. */
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
  /**
   * Alarms the system must be able to hold at once: elements are added (beyond
   * elementsPerAgent) until there are at least twice as many element/parameter slots.
   */
  capacity?: number;
}

/** Properties shared by every alarm that has none: frozen, so nobody can write into it. */
export const NO_PROPERTIES: AlarmProperties = Object.freeze({});

const SEVERITY_ORDER: readonly Severity[] = ['Critical', 'Major', 'Minor', 'Warning', 'Normal'];
/** How far back the initial alarms' root times reach. */
const HISTORY_MS = 3 * 24 * 3600_000;
/** Random draws for a free slot before walking the elements in order. */
const SLOT_TRIES = 8;

/** Whole seconds, as DataMiner shows alarm times. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/** The slot of an alarm: its element and parameter (one active alarm each). */
export function slotOf(alarm: Pick<Alarm, 'dmaId' | 'elementId' | 'parameter'>): string {
  return `${alarm.dmaId}/${alarm.elementId}/${alarm.parameter}`;
}

/** The mock system's agents and elements, and the rules to raise and change their alarms. */
export class AlarmGenerator {
  readonly elements: readonly MockElement[];
  private readonly agentOf = new Map<MockElement, MockAgent>();
  private readonly agents = new Map<string, MockAgent>();
  private readonly byKey = new Map<string, MockElement>();
  private readonly values = new ValueMaker();

  constructor(options: TopologyOptions) {
    const random = mulberry32(options.seed);
    const agents = buildAgents(random, options);
    this.elements = agents.flatMap((a) => a.elements);
    for (const agent of agents) {
      this.agents.set(agent.dmaId, agent);
      for (const element of agent.elements) {
        this.agentOf.set(element, agent);
        this.byKey.set(`${element.dmaId}/${element.elementId}`, element);
      }
    }
  }

  /** A new Alarm ID of the agent (DataMiner numbers alarms per DMA, always upwards). */
  nextAlarmId(dmaId: string, random: Random): string {
    const agent = this.agents.get(dmaId);
    if (!agent) throw new Error(`No agent ${dmaId}`);
    const id = String(agent.nextAlarmId);
    agent.nextAlarmId += randomInt(random, 1, 3);
    return id;
  }

  /** The next Alarm ID of every agent, to be restored after a restart. */
  counters(): Record<string, number> {
    return Object.fromEntries([...this.agents].map(([id, a]) => [id, a.nextAlarmId]));
  }

  /** Moves the agents' counters up to what was handed out before a restart. */
  restoreCounters(counters: Readonly<Record<string, number>>): void {
    for (const [id, next] of Object.entries(counters)) {
      const agent = this.agents.get(id);
      if (agent && Number.isSafeInteger(next))
        agent.nextAlarmId = Math.max(agent.nextAlarmId, next);
    }
  }

  /**
   * A random element and parameter whose slot is free, or null when (nearly) all are taken.
   * Draws a few times at random, then takes the first free slot after the last draw.
   */
  freeSlot(
    random: Random,
    taken: (slot: string) => boolean,
  ): { element: MockElement; parameter: RoleSpec['parameters'][number] } | null {
    const elements = this.elements;
    let at = 0;
    for (let i = 0; i < SLOT_TRIES; i++) {
      at = randomInt(random, 0, elements.length - 1);
      const element = elements[at]!;
      const parameter = pick(random, element.role.parameters);
      if (!taken(`${element.dmaId}/${element.elementId}/${parameter.name}`)) {
        return { element, parameter };
      }
    }
    for (let n = 0; n < elements.length; n++) {
      const e = elements[(at + n) % elements.length]!;
      for (const p of e.role.parameters) {
        if (!taken(`${e.dmaId}/${e.elementId}/${p.name}`)) return { element: e, parameter: p };
      }
    }
    return null;
  }

  /**
   * A new alarm on a free slot with a new root alarm ID, or null when every slot is taken.
   * `rootTime` and `time` are epoch ms; properties and state are attached by the caller.
   */
  raise(
    random: Random,
    rootTime: number,
    time: number,
    taken: (slot: string) => boolean,
  ): Alarm | null {
    const slot = this.freeSlot(random, taken);
    if (!slot) return null;
    const { element, parameter } = slot;
    const alarmId = this.nextAlarmId(element.dmaId, random);
    const severity = pickActiveSeverity(random);
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

  /** The initial alarm list: up to `count` alarms (one per slot) whose times end at `endTime`. */
  initial(random: Random, count: number, endTime: number): Alarm[] {
    const slots = new Set<string>();
    const taken = (slot: string): boolean => slots.has(slot);
    const alarms: Alarm[] = [];
    for (let i = 0; i < count; i++) {
      const rootTime = endTime - Math.floor(random() * HISTORY_MS);
      // About a third of the alarms changed since they were raised.
      const changed = random() < 0.35;
      const time = changed ? rootTime + Math.floor(random() * (endTime - rootTime)) : rootTime;
      const alarm = this.raise(random, rootTime, time, taken);
      if (!alarm) break;
      slots.add(slotOf(alarm));
      alarms.push(
        changed ? { ...alarm, latestAlarmId: this.nextAlarmId(alarm.dmaId, random) } : alarm,
      );
    }
    return alarms;
  }

  /**
   * The same alarm tree after an update: a new Alarm ID (`latestAlarmId`), the same root
   * alarm ID and root time; the severity moves one step (or to `severity` when given), the
   * value follows, the time becomes `time`. A result at Normal means the alarm cleared.
   */
  update(random: Random, alarm: Alarm, time: number, severity?: Severity): Alarm {
    const element = this.byKey.get(`${alarm.dmaId}/${alarm.elementId}`);
    const parameter = element?.role.parameters.find((p) => p.name === alarm.parameter);
    const at = SEVERITY_ORDER.indexOf(alarm.severity);
    let next = severity;
    if (next === undefined) {
      const step = randomInt(random, -1, 1) || 1;
      next = SEVERITY_ORDER[Math.min(4, Math.max(0, at + step))] ?? alarm.severity;
    }
    const value = parameter ? this.values.make(random, parameter, next) : alarm.value;
    return {
      ...alarm,
      latestAlarmId: this.nextAlarmId(alarm.dmaId, random),
      severity: next,
      value,
      time: isoSeconds(time),
    };
  }
}

function buildAgents(random: Random, options: TopologyOptions): MockAgent[] {
  const dmaIds = new Set<number>();
  const span = Math.max(900, options.agents * 10);
  while (dmaIds.size < options.agents) dmaIds.add(randomInt(random, 100, 99 + span));
  const wanted = Math.ceil((2 * (options.capacity ?? 0)) / (options.agents * meanParameters()));
  const perAgent = Math.max(options.elementsPerAgent, wanted);
  const names = new Set<string>();
  /** Highest number used per site and role, so a big system does not search for a free one. */
  const highest = new Map<string, number>();
  const agents: MockAgent[] = [];
  for (const dma of dmaIds) {
    const dmaId = String(dma);
    // Each agent mostly watches one region, as real DMAs are deployed per area.
    const homeSites = [pick(random, SITES), pick(random, SITES), pick(random, SITES)];
    let elementId = randomInt(random, 100, 400);
    const elements: MockElement[] = [];
    for (let i = 0; i < perAgent; i++) {
      const role = pick(random, ROLES);
      const site = pick(random, homeSites);
      const prefix = `${site}-${role.code}-`;
      let n = randomInt(random, 1, 12);
      let name = `${prefix}${String(n).padStart(2, '0')}`;
      if (names.has(name)) n = Math.max(n, highest.get(prefix) ?? n);
      while (names.has(name)) {
        n++;
        name = `${prefix}${String(n).padStart(2, '0')}`;
      }
      names.add(name);
      highest.set(prefix, Math.max(n, highest.get(prefix) ?? 0));
      elements.push({ dmaId, elementId: String(elementId), name, role });
      elementId += randomInt(random, 1, 7);
    }
    agents.push({ dmaId, nextAlarmId: randomInt(random, 10_000, 60_000), elements });
  }
  return agents;
}

/** The mean number of parameters of a kind of element. */
function meanParameters(): number {
  return ROLES.reduce((n, r) => n + r.parameters.length, 0) / ROLES.length;
}
