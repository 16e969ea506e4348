/**
 * The simulator from the command line: `npm run simulator -- --port 8787`. Prints the URL, the
 * demo credentials (on purpose: they are demo credentials and protect nothing) and example
 * curl commands, then runs until SIGINT or SIGTERM and closes cleanly. Exit codes: 0 after a
 * clean stop, 1 when the server cannot start, 2 for bad arguments.
 */
import { CLI_USAGE, parseCliArgs } from './cli-args.js';
import { startSimulator } from './server.js';
import { createTestCertificates } from './test-ca.js';
import { DEMO_CREDENTIALS } from './types.js';

function banner(url: string): string {
  const { clientId, clientSecret, userId } = DEMO_CREDENTIALS;
  return [
    `Oceane simulator listening on ${url}`,
    '',
    "Demo credentials (for the app's API Settings):",
    `  Base URL:      ${url}`,
    `  Client ID:     ${clientId}`,
    `  Client Secret: ${clientSecret}`,
    `  User ID:       ${userId}`,
    '',
    'Try it:',
    `  curl -s -u '${clientId}:${clientSecret}' -H 'Accept: application/json' \\`,
    `    -d grant_type=client_credentials ${url}/oauth/v3/token`,
    `  TOKEN=<access_token from the answer above>`,
    `  curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"@type":"TroubleTicket","ticketType":"incident","description":"Demo","severity":"Major","priority":"High",` +
      `"externalIdentifier":[{"@type":"ExternalIdentifier","owner":"DataMiner","externalIdentifierType":"alarm","id":"1/100"}],` +
      `"relatedEntity":[{"@type":"RelatedEntity","role":"alarmedElement","entity":{"@type":"EntityRef","id":"1/7","name":"Encoder 1","@referredType":"ManagedElement"}}],` +
      `"troubleTicketCharacteristic":[{"@type":"StringCharacteristic","name":"urgency","valueType":"string","value":"High"}]}' \\`,
    `    ${url}/tmf-api/troubleTicket/v5/troubleTicket`,
    `  curl -s -H "Authorization: Bearer $TOKEN" '${url}/tmf-api/troubleTicket/v5/troubleTicket?externalIdentifier.id=1%2F100'`,
    '',
    `Simulator-only control routes: ${url}/__simulator/ledger, ${url}/__simulator/requests,`,
    `  POST ${url}/__simulator/faults with {"route":"create","fault":{"kind":"status","status":503},"times":1}`,
    `  POST ${url}/__simulator/tickets/<id>/status with {"status":"inProgress"} moves a ticket at once`,
    '',
    'Press Ctrl+C to stop.',
  ].join('\n');
}

async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.kind === 'help') {
    console.log(CLI_USAGE);
    return 0;
  }
  if (args.kind === 'error') {
    console.error(`oceane-simulator: ${args.message}\n\n${CLI_USAGE}`);
    return 2;
  }
  let simulator;
  let caPem = '';
  try {
    if (args.tls) {
      const certificates = createTestCertificates();
      caPem = certificates.caPem;
      args.options.tls = { certPem: certificates.certPem, keyPem: certificates.keyPem };
    }
    simulator = await startSimulator(args.options);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    console.error(
      `oceane-simulator: cannot start on ${args.options.host}:${args.options.port}: ${detail}`,
    );
    return 1;
  }
  console.log(banner(simulator.url));
  if (caPem) {
    console.log(
      `\nServing https with a certificate of a CA made for this run. Trust it in the app\n(Settings → API Settings → Extra trusted CA certificate):\n\n${caPem}`,
    );
  }
  const running = simulator;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      console.log(`\n${signal}: stopping the Oceane simulator`);
      running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log('Oceane simulator stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
