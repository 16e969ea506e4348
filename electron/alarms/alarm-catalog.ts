/**
 * What the mock DataMiner's network looks like: sites, kinds of equipment, the parameters each
 * kind monitors and the values a parameter shows at each severity. Plain data, so generated
 * alarms read like a French operator's NOC rather than "element 1, parameter 2".
 */
import type { Severity } from '../../shared/domain.js';
import { pick, type Random } from './prng.js';

/** Site codes used as element name prefixes (IATA-like, French cities). */
export const SITES = [
  'PAR',
  'LYO',
  'MRS',
  'TLS',
  'BDX',
  'LIL',
  'NTE',
  'STR',
  'REN',
  'NCE',
  'MPL',
  'GRE',
  'DIJ',
  'ROU',
] as const;

/** How a parameter turns a severity into a displayed value. */
export type ValueRule =
  | { kind: 'text'; values: Record<Severity, readonly string[]> }
  | {
      kind: 'number';
      unit: string;
      decimals: number;
      ranges: Record<Severity, readonly [number, number]>;
    };

/** A monitored parameter of an element. */
export interface ParameterSpec {
  name: string;
  rule: ValueRule;
}

/** A kind of equipment: the middle of its element names and the parameters it raises. */
export interface RoleSpec {
  code: string;
  parameters: readonly ParameterSpec[];
}

const percent = (name: string): ParameterSpec => ({
  name,
  rule: {
    kind: 'number',
    unit: ' %',
    decimals: 0,
    ranges: {
      Critical: [96, 100],
      Major: [91, 95],
      Minor: [86, 90],
      Warning: [80, 85],
      Normal: [12, 65],
    },
  },
});

const status = (name: string, values: Record<Severity, readonly string[]>): ParameterSpec => ({
  name,
  rule: { kind: 'text', values },
});

const INTERFACE_STATUS = status('Interface Status', {
  Critical: ['Down'],
  Major: ['Down (admin up)', 'Err-disabled'],
  Minor: ['Flapping'],
  Warning: ['Degraded', 'Half duplex'],
  Normal: ['Up'],
});
const CPU_LOAD = percent('CPU Load');
const MEMORY_USAGE = percent('Memory Usage');
const TEMPERATURE: ParameterSpec = {
  name: 'Temperature',
  rule: {
    kind: 'number',
    unit: ' °C',
    decimals: 0,
    ranges: {
      Critical: [75, 85],
      Major: [68, 74],
      Minor: [62, 67],
      Warning: [56, 61],
      Normal: [28, 48],
    },
  },
};
const OPTICAL_RX_POWER: ParameterSpec = {
  name: 'Optical Rx Power',
  rule: {
    kind: 'number',
    unit: ' dBm',
    decimals: 1,
    ranges: {
      Critical: [-40, -30],
      Major: [-29.9, -27],
      Minor: [-26.9, -25],
      Warning: [-24.9, -23],
      Normal: [-12, -4],
    },
  },
};
const OPTICAL_TX_POWER: ParameterSpec = {
  name: 'Optical Tx Power',
  rule: {
    kind: 'number',
    unit: ' dBm',
    decimals: 1,
    ranges: {
      Critical: [-15, -10],
      Major: [-9.9, -8],
      Minor: [-7.9, -6],
      Warning: [-5.9, -5],
      Normal: [-2, 2],
    },
  },
};
const BGP_SESSION = status('BGP Session State', {
  Critical: ['Idle'],
  Major: ['Active'],
  Minor: ['OpenSent', 'OpenConfirm'],
  Warning: ['Established (prefix limit 90 %)'],
  Normal: ['Established'],
});
const PACKET_LOSS: ParameterSpec = {
  name: 'Packet Loss',
  rule: {
    kind: 'number',
    unit: ' %',
    decimals: 2,
    ranges: {
      Critical: [5, 30],
      Major: [2, 4.99],
      Minor: [1, 1.99],
      Warning: [0.3, 0.99],
      Normal: [0, 0.05],
    },
  },
};
const FAN_STATUS = status('Fan Status', {
  Critical: ['All fans failed'],
  Major: ['Fan tray missing'],
  Minor: ['Fan 2 failed'],
  Warning: ['Fan speed high'],
  Normal: ['OK'],
});
const POWER_SUPPLY = status('Power Supply Status', {
  Critical: ['PSU 1 and PSU 2 failed'],
  Major: ['PSU 2 failed'],
  Minor: ['PSU 1 input lost'],
  Warning: ['PSU 1 redundancy degraded'],
  Normal: ['OK'],
});

/** The kinds of equipment, each with the parameters it raises alarms on. */
export const ROLES: readonly RoleSpec[] = [
  {
    code: 'CORE-RTR',
    parameters: [
      INTERFACE_STATUS,
      CPU_LOAD,
      MEMORY_USAGE,
      BGP_SESSION,
      OPTICAL_RX_POWER,
      TEMPERATURE,
    ],
  },
  {
    code: 'PE-RTR',
    parameters: [
      INTERFACE_STATUS,
      BGP_SESSION,
      CPU_LOAD,
      PACKET_LOSS,
      status('MPLS LSP State', {
        Critical: ['Down'],
        Major: ['Down (FRR active)'],
        Minor: ['Re-optimising'],
        Warning: ['Up (secondary path)'],
        Normal: ['Up'],
      }),
    ],
  },
  {
    code: 'AGG-SW',
    parameters: [INTERFACE_STATUS, CPU_LOAD, TEMPERATURE, FAN_STATUS, POWER_SUPPLY],
  },
  {
    code: 'OLT',
    parameters: [
      status('PON Port Status', {
        Critical: ['LOS'],
        Major: ['LOF'],
        Minor: ['Degraded'],
        Warning: ['High BIP errors'],
        Normal: ['Up'],
      }),
      OPTICAL_RX_POWER,
      {
        name: 'ONT Offline Count',
        rule: {
          kind: 'number',
          unit: '',
          decimals: 0,
          ranges: {
            Critical: [40, 128],
            Major: [16, 39],
            Minor: [6, 15],
            Warning: [2, 5],
            Normal: [0, 1],
          },
        },
      },
      TEMPERATURE,
      INTERFACE_STATUS,
    ],
  },
  {
    code: 'DWDM',
    parameters: [
      OPTICAL_RX_POWER,
      OPTICAL_TX_POWER,
      {
        name: 'OSNR',
        rule: {
          kind: 'number',
          unit: ' dB',
          decimals: 1,
          ranges: {
            Critical: [8, 11.9],
            Major: [12, 13.9],
            Minor: [14, 15.9],
            Warning: [16, 17.9],
            Normal: [20, 28],
          },
        },
      },
      {
        name: 'Pre-FEC BER',
        rule: {
          kind: 'text',
          values: {
            Critical: ['3.2E-02', '1.1E-02'],
            Major: ['8.7E-03', '4.5E-03'],
            Minor: ['9.8E-04', '5.0E-04'],
            Warning: ['2.1E-05', '7.7E-05'],
            Normal: ['1.0E-09', '3.4E-10'],
          },
        },
      },
      TEMPERATURE,
    ],
  },
  {
    code: 'BNG',
    parameters: [
      {
        name: 'Subscriber Sessions',
        rule: {
          kind: 'number',
          unit: '',
          decimals: 0,
          ranges: {
            Critical: [0, 500],
            Major: [501, 4000],
            Minor: [4001, 9000],
            Warning: [60000, 64000],
            Normal: [20000, 48000],
          },
        },
      },
      CPU_LOAD,
      MEMORY_USAGE,
      status('RADIUS Reachability', {
        Critical: ['Unreachable'],
        Major: ['Primary unreachable'],
        Minor: ['Timeouts'],
        Warning: ['Slow responses'],
        Normal: ['Reachable'],
      }),
    ],
  },
  {
    code: 'FW',
    parameters: [
      percent('Session Table Usage'),
      CPU_LOAD,
      status('HA State', {
        Critical: ['Split brain'],
        Major: ['Standalone'],
        Minor: ['Sync failed'],
        Warning: ['Sync pending'],
        Normal: ['Active/Standby'],
      }),
      POWER_SUPPLY,
    ],
  },
  {
    code: 'IPTV-ENC',
    parameters: [
      {
        name: 'Input Bitrate',
        rule: {
          kind: 'number',
          unit: ' Mbps',
          decimals: 1,
          ranges: {
            Critical: [0, 0.5],
            Major: [0.6, 2],
            Minor: [2.1, 4],
            Warning: [4.1, 6],
            Normal: [8, 15],
          },
        },
      },
      status('Video Status', {
        Critical: ['No signal'],
        Major: ['Frozen'],
        Minor: ['Black frame'],
        Warning: ['Audio silence'],
        Normal: ['OK'],
      }),
      {
        name: 'Continuity Errors',
        rule: {
          kind: 'number',
          unit: ' /min',
          decimals: 0,
          ranges: {
            Critical: [500, 3000],
            Major: [100, 499],
            Minor: [20, 99],
            Warning: [5, 19],
            Normal: [0, 0],
          },
        },
      },
    ],
  },
];

/** Severities with the share of alarms each gets, most severe first. */
export const SEVERITY_WEIGHTS: readonly (readonly [Severity, number])[] = [
  ['Critical', 0.08],
  ['Major', 0.17],
  ['Minor', 0.3],
  ['Warning', 0.33],
  ['Normal', 0.12],
];

/** A severity drawn with SEVERITY_WEIGHTS. */
export function pickSeverity(random: Random): Severity {
  let r = random();
  for (const [severity, weight] of SEVERITY_WEIGHTS) {
    if (r < weight) return severity;
    r -= weight;
  }
  return 'Warning';
}

/** A severity of an active alarm (never Normal: an alarm back to normal clears). */
export function pickActiveSeverity(random: Random): Severity {
  const severity = pickSeverity(random);
  return severity === 'Normal' ? 'Warning' : severity;
}

/**
 * Displayed values, interned: the same text is always the same string object, so 100,000
 * alarms share a few thousand value strings instead of holding one each.
 */
export class ValueMaker {
  private readonly interned = new Map<string, string>();

  /** A value of `parameter` that fits `severity`. */
  make(random: Random, parameter: ParameterSpec, severity: Severity): string {
    const rule = parameter.rule;
    if (rule.kind === 'text') return pick(random, rule.values[severity]);
    const [min, max] = rule.ranges[severity];
    const n = min + random() * (max - min);
    const text = `${n.toFixed(rule.decimals)}${rule.unit}`;
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    this.interned.set(text, text);
    return text;
  }
}
