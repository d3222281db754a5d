// publish.mjs - an MQTT.js producer for the integration tests, as many
// real producers are written.
//
//   node publish.mjs PORT < LINES
//
// Each line of standard input is TOPIC, a tab, and the payload (nothing
// after the tab: an empty payload, which clears a retained topic). Every
// message goes out retained with QoS 1 over one MQTT 3.1.1 connection; the
// script exits 0 once the broker acknowledged them all, 1 on any error.
import readline from 'node:readline'
import mqtt from 'mqtt'

const port = Number(process.argv[2])
const client = await mqtt.connectAsync({
  host: '127.0.0.1', port, protocolVersion: 4, clean: true,
  clientId: `mqttjs-producer-${process.pid}`, reconnectPeriod: 0, connectTimeout: 5000
})
let n = 0
try {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line === '') continue
    const tab = line.indexOf('\t')
    if (tab <= 0) throw new Error(`line ${n + 1}: expected TOPIC<tab>PAYLOAD`)
    await client.publishAsync(line.slice(0, tab), line.slice(tab + 1), { qos: 1, retain: true })
    n++
  }
  await client.endAsync()
  console.error(`mqttjs: published ${n} messages`)
} catch (err) {
  console.error(`mqttjs: ${err.message}`)
  process.exit(1)
}
