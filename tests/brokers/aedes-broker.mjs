// aedes-broker.mjs - aedes, a second MQTT broker for the integration tests.
//
//   node aedes-broker.mjs PORT RETAINED.json
//
// Listens on 127.0.0.1:PORT until SIGTERM or SIGINT. aedes speaks MQTT
// 3.1.1 only (it answers an MQTT 5 CONNECT with "unacceptable protocol
// version"), which is what the board's protocol fallback is tested on.
//
// aedes keeps retained messages in memory (its default persistence), so a
// restart would forget them where mosquitto restores its database. The
// tests restart brokers on purpose, so this script keeps them the way
// mosquitto's `persistence true` does: every change of a retained topic
// rewrites RETAINED.json (at most every 100 ms, through a temporary file
// and rename), and a start loads it back into the persistence before the
// port opens. Only retained messages are kept: sessions are clean.
import fs from 'node:fs'
import net from 'node:net'
import { Aedes } from 'aedes'
import memory from 'aedes-persistence'

const [portArg, file] = process.argv.slice(2)
const port = Number(portArg)
if (!Number.isInteger(port) || port < 1 || port > 65535 || !file) {
  console.error('usage: aedes-broker.mjs PORT RETAINED.json')
  process.exit(2)
}

const retained = new Map() // topic -> { payload (base64), qos }
let saveTimer = null

function save () {
  saveTimer = null
  const tmp = file + '.tmp'
  fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(retained)))
  fs.renameSync(tmp, file)
}

function remember (packet) {
  if (packet.topic.startsWith('$SYS')) return
  if (packet.payload.length === 0) retained.delete(packet.topic)
  else retained.set(packet.topic, { payload: packet.payload.toString('base64'), qos: packet.qos })
  if (!saveTimer) saveTimer = setTimeout(save, 100)
}

const persistence = memory()
const storeRetained = persistence.storeRetained.bind(persistence)
persistence.storeRetained = (packet, cb) => {
  remember(packet)
  return storeRetained(packet, cb)
}

const broker = await Aedes.createBroker({ persistence })
if (fs.existsSync(file)) {
  for (const [topic, m] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')))) {
    await persistence.storeRetained({
      cmd: 'publish', topic, payload: Buffer.from(m.payload, 'base64'),
      qos: m.qos, retain: true, dup: false
    })
  }
  console.log(`aedes: ${retained.size} retained messages restored from ${file}`)
}

broker.on('clientError', (client, err) => console.log(`aedes: client ${client.id}: ${err.message}`))
broker.on('connectionError', (client, err) => console.log(`aedes: connection: ${err.message}`))

const server = net.createServer(broker.handle)
server.listen(port, '127.0.0.1', () => console.log(`aedes ${port}: listening`))

function stop () {
  if (saveTimer) {
    clearTimeout(saveTimer)
    save()
  }
  server.close()
  broker.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 1000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
