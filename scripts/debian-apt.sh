# Sourced by scripts/compat.sh and scripts/dist.sh: apt-get working on a folder of its own, so
# packages and source packages of another Debian release can be fetched (never installed).
#
#   debian_apt DIR "deb|deb-src" RELEASE   sets APT_OPTS for `apt-get "${APT_OPTS[@]}" …`
#                                          and runs `apt-get update` there

debian_apt() {
  local apt=$1 kind=$2 release=$3
  mkdir -p "$apt/lists/partial" "$apt/archives/partial"
  # The release's own keyring when the system has one, else Debian's archive keyring.
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  local k
  for k in "/usr/share/keyrings/debian-archive-$release-stable.gpg" \
    "/usr/share/keyrings/debian-archive-$release-automatic.gpg"; do
    [ -f "$k" ] && keyring=$k
  done
  echo "$kind [signed-by=$keyring] http://deb.debian.org/debian $release main" >"$apt/sources.list"
  APT_OPTS=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=-"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::State::Status=/dev/null"
    -o "Dir::Cache=$apt" -o "Dir::Cache::archives=$apt/archives"
    -o APT::Sandbox::User=root -o Debug::NoLocking=1 -qq)
  apt-get "${APT_OPTS[@]}" update
}
