#!/bin/bash
# ctl-inner.sh PUPDIR HOSTS RESOLV HEAP
# Runs as: nsenter --net=/run/netns/ctl -- unshare --mount --propagation private -- ctl-inner.sh ...
# The controller's private mount namespace: the lab's Puppet confdir, var, log
# folders bind-mounted at Debian's default paths (so `puppetserver ca ...` run by
# the ctl sshd, which joins this namespace, acts on the lab's CA), the lab's
# hosts/resolv.conf; then becomes puppetserver (same PID, as user puppet).
set -euo pipefail
P=$1
mount --bind "$P/etc" /etc/puppet
mount --bind "$P/var" /var/lib/puppetserver
mount --bind "$P/log" /var/log/puppetserver
mount --bind "$2" /etc/hosts
mount --bind "$3" /etc/resolv.conf
cd /usr/share/puppetserver
# what the Debian unit runs (puppetserver.service), with the lab's heap and a
# restart file that says when the server is ready ("1")
export HOME=/var/lib/puppetserver
umask 027
exec setpriv --reuid=puppet --regid=puppet --init-groups -- \
    /usr/bin/java -Xms"$4" -Xmx"$4" -XX:TieredStopAtLevel=1 \
    -Djruby.logger.class=com.puppetlabs.jruby_utils.jruby.Slf4jLogger \
    -Djruby.lib=/usr/share/jruby/lib -XX:+CrashOnOutOfMemoryError \
    -XX:ErrorFile=/var/log/puppetserver/puppetserver_err_pid%p.log \
    -jar /usr/share/puppetserver/puppetserver.jar \
    --config /etc/puppet/puppetserver/conf.d \
    --bootstrap-config /etc/puppet/puppetserver/services.d \
    --restart-file /var/lib/puppetserver/run/restart
