import { ImapFlow } from 'imapflow';
import { Dovecot } from '../../support/dovecot';
test('dovecot', async () => {
  const d = await Dovecot.start();
  try {
    const u = d.addUser();
    const c = new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: u.user, pass: u.password }, logger: false });
    await c.connect();
    console.log(c.capabilities);
    await c.append('INBOX', 'From: a@b.c\r\nSubject: hi\r\nMessage-ID: <x@y>\r\n\r\nhello\r\n');
    const mb = await c.mailboxOpen('INBOX');
    console.log(mb.uidValidity, mb.uidNext, mb.exists);
    await c.logout();
    const t=Date.now(); await d.restart(); console.log('restart ms', Date.now()-t);
    const bad = new ImapFlow({ host: d.host, port: d.port, secure: false, auth: { user: u.user, pass: 'wrong' }, logger: false });
    try { await bad.connect(); } catch (e: any) { console.log('auth err', e.authenticationFailed, e.serverResponseCode, e.responseText, e.code, e.message); }
    console.log(d.doveadm('mailbox', 'status', '-u', u.user, 'uidvalidity', 'INBOX'));
    d.doveadm('mailbox', 'update', '-u', u.user, '--uid-validity', '12345', 'INBOX');
    console.log(d.doveadm('mailbox', 'status', '-u', u.user, 'uidvalidity uidnext', 'INBOX'));
  } finally { console.log(d.log().slice(-1500)); await d.destroy(); }
});
