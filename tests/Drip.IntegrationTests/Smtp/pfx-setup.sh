#!/bin/bash
# Builds a throw-away Postfix instance in $D listening on 127.0.0.1:$PORT that delivers every
# accepted letter to one Maildir ($D/mail/catchall/new) and refuses recipients by prefix:
#   hard-*  550 5.1.1   soft-*  450 4.2.1   full-*  452 4.2.2   policy-*  554 5.7.1
# and accepts async-hard-* only to bounce it a moment later with an RFC 3464 report to the envelope sender.
# Needs root (Postfix drops privileges itself). Used by the integration tests' PostfixFixture.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
D=${D:?D must name an absolute folder}; PORT=${PORT:?PORT is required}
case "$D" in /*) ;; *) echo "D must be absolute" >&2; exit 1;; esac
mkdir -p "$D"/{etc,spool,data,mail,log}; chmod 755 "$D"
cp /etc/postfix/master.cf "$D/etc/master.cf"
cat > "$D/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $D/spool
data_directory = $D/data
myhostname = mx.test.local
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
alias_maps =
mynetworks = 127.0.0.0/8
virtual_mailbox_domains = static:all
virtual_mailbox_base = $D/mail
virtual_mailbox_maps = static:catchall/
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
smtpd_recipient_restrictions = check_recipient_access regexp:$D/etc/access.regexp, permit_mynetworks, reject
transport_maps = regexp:$D/etc/transport.regexp
smtputf8_enable = yes
maillog_file_prefixes = /tmp, /var
maillog_file = $D/log/maillog
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 30s
CONF
cat > "$D/etc/access.regexp" <<'CONF'
/^hard-/     550 5.1.1 User unknown (simulated)
/^soft-/     450 4.2.1 Mailbox temporarily unavailable (simulated)
/^full-/     452 4.2.2 Mailbox full (simulated)
/^policy-/   554 5.7.1 Message rejected by policy (simulated)
CONF
printf '/^async-hard-/ async-hard:\n' > "$D/etc/transport.regexp"
# A pipe that exits 67 (EX_NOUSER) makes Postfix bounce after accepting; error: transports refuse at RCPT instead.
postconf -c "$D/etc" -Me 'async-hard/unix = async-hard unix - n n - - pipe user=nobody argv=/bin/sh -c { echo simulated: mailbox does not exist; exit 67 }'
postconf -c "$D/etc" -F '*/*/chroot = n'
postconf -c "$D/etc" -M# smtp/inet
postconf -c "$D/etc" -Me "127.0.0.1:$PORT/inet = 127.0.0.1:$PORT inet n - n - - smtpd"
chown nobody:nogroup "$D/mail"; chown postfix "$D/data"
postfix -c "$D/etc" check
