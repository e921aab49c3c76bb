#!/usr/bin/env node
// The image's HEALTHCHECK: GET /healthz on the host and port the configuration names (service.healthPort,
// service.healthHost; a wildcard host is asked on loopback). Exit 0 when it answers 200, else 1.
const http = require('node:http');
const { loadConfig } = require('../dist/src/config/load.js');

let service;
try {
  service = loadConfig(process.env.ADUAN_CONFIG_DIR ?? 'config').service;
} catch (error) {
  console.error(`healthcheck: cannot read the configuration: ${error.message}`);
  process.exit(1);
}
if (!service.healthPort) {
  console.error('healthcheck: service.healthPort is 0, so there is no /healthz to ask');
  process.exit(1);
}
const host = ['0.0.0.0', '::', ''].includes(service.healthHost) ? '127.0.0.1' : service.healthHost;
http
  .get({ host, port: service.healthPort, path: '/healthz', timeout: 4000 }, (response) => {
    console.log(`healthcheck: http://${host}:${service.healthPort}/healthz answered ${response.statusCode}`);
    process.exit(response.statusCode === 200 ? 0 : 1);
  })
  .on('timeout', function () {
    console.error('healthcheck: no answer within 4 s');
    this.destroy();
    process.exit(1);
  })
  .on('error', (error) => {
    console.error(`healthcheck: ${error.message}`);
    process.exit(1);
  });
