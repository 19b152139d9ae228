# igvm lab: every node gets a witness of the Puppet run that igvm's build made
# (environment and certname as the server saw them).
node default {
  file { '/etc/igvm-puppet':
    ensure  => file,
    mode    => '0644',
    content => "environment=${server_facts['environment']} certname=${trusted['certname']}\n",
  }
}
