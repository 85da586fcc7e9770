// The peer of Drip's delivery benchmark: the same personalised letter sent with nodemailer's pooled SMTP
// transport and handlebars templates, against the same smtp-sink, at the same connection count.
// Usage: NODE_PATH=bench/.peer/node_modules node peer.cjs TEMPLATES.json PORT CONNECTIONS LETTERS
// Prints one JSON line: {"sent":…, "seconds":…, "cpu_seconds":…, "peak_rss_mb":…}.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const nodemailer = require('nodemailer');
const Handlebars = require('handlebars');

const [templatesFile, port, connections, letters] = process.argv.slice(2);
const t = JSON.parse(fs.readFileSync(templatesFile, 'utf8'));
const count = Number(letters);
const subject = Handlebars.compile(t.subject);
const html = Handlebars.compile(t.html);
const text = Handlebars.compile(t.text);
const key = crypto.randomBytes(32);

// The same token shape as Drip's links: key id, purpose + subscriber id + scope, HMAC-SHA256 cut to 128 bits.
function sign(purpose, id, scope) {
  const payload = Buffer.concat([Buffer.from([purpose]), id, Buffer.from(scope, 'utf8')]);
  const mac = crypto.createHmac('sha256', key).update('bench.').update(payload).digest().subarray(0, 16);
  return `bench.${payload.toString('base64url')}.${mac.toString('base64url')}`;
}

const transport = nodemailer.createTransport({
  pool: true, host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true,
  maxConnections: Number(connections), maxMessages: Infinity,
});

let next = 0;
let sent = 0;
async function worker() {
  while (next < count) {
    const i = next++;
    const id = crypto.randomBytes(16);
    const name = t.names[i % t.names.length];
    const to = `reader${String(i).padStart(7, '0')}@example.test`;
    const unsubscribe = `${t.base}/u/${sign(1, id, t.letter)}`;
    const urlHash = crypto.createHash('sha256').update(t.target).digest('hex').slice(0, 24);
    const data = {
      name,
      unsubscribe_url: unsubscribe,
      click_url: `${t.base}/c/${sign(3, id, `${t.letter}|${urlHash}`)}?u=${encodeURIComponent(t.target)}`,
      open_url: `${t.base}/o/${sign(4, id, t.letter)}`,
    };
    const messageId = crypto.createHash('sha256').update(`campaign:bench:${id.toString('hex')}`).digest('hex').slice(0, 32);
    await transport.sendMail({
      from: { name: t.fromName, address: t.from },
      to: { name: `${name} Reader${i}`, address: to },
      subject: subject(data),
      text: text(data),
      html: html(data),
      messageId: `<${messageId}@example.com>`,
      envelope: { from: `bounces+${sign(2, id, '')}@example.com`, to },
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>, <mailto:${t.unsubscribeMailbox}?subject=unsubscribe%20${sign(1, id, '')}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Feedback-ID': `${t.letter}:campaign:drip`,
      },
    });
    sent++;
  }
}

(async () => {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  // Twice as many letters in hand as connections, so the pool never waits for the next one.
  await Promise.all(Array.from({ length: Number(connections) * 2 }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  transport.close();
  console.log(JSON.stringify({
    sent, seconds, cpu_seconds: (used.user + used.system) / 1e6, peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
