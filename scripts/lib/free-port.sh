# free_port: prints a loopback TCP port nobody listens on. Sourced by scripts that start servers.
# Ports come from below the kernel's ephemeral range, so that no outgoing connection can take one between this check
# and the server's bind (the tests open many connections while other servers start).
_kaito_ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local p span=$((_kaito_ephemeral_low > 21000 ? _kaito_ephemeral_low - 20000 : 10000))
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % span))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}
