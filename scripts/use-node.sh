# Puts the project's Node LTS line first on PATH in the current shell. Source it, don't run it:
#   . scripts/use-node.sh        (then: npm ci && npm test)
# Uses the machine's node when it is on the line; otherwise installs `node@<line>` from the npm registry
# into .tools/ (git-ignored) once. Sets npm_config_nodedir to that Node's own headers, so native modules
# (better-sqlite3) compile against them instead of node-gyp downloading headers from nodejs.org.
# The npm registry's `node` package may lag behind Node's security releases: it is for development and CI;
# the Docker image uses the official node image pinned in the Dockerfile.
ADUAN_NODE_LINE=26

_aduan_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_aduan_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

if [ "$(_aduan_major node)" != "$ADUAN_NODE_LINE" ]; then
  _aduan_tools="$_aduan_root/.tools"
  if [ "$(_aduan_major "$_aduan_tools/node_modules/node/bin/node")" != "$ADUAN_NODE_LINE" ]; then
    echo "installing node@$ADUAN_NODE_LINE from the npm registry into .tools/" >&2
    mkdir -p "$_aduan_tools"
    # The package's install script fetches the platform binary; npm runs it only when allowed here.
    printf '{ "private": true, "allowScripts": { "node": true } }\n' > "$_aduan_tools/package.json"
    (cd "$_aduan_tools" && npm install --no-save --no-package-lock --no-audit --no-fund "node@$ADUAN_NODE_LINE" >&2) ||
      { echo "could not install node@$ADUAN_NODE_LINE" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_aduan_tools/node_modules/node/bin:$PATH"
  hash -r
fi

# Headers: the npm package keeps them in node_modules/node/node_modules/node-<platform>-<arch>; an
# official tarball or image keeps them in <prefix>/include/node.
_aduan_node="$(command -v node)"
for _aduan_dir in "$(dirname "$_aduan_node")"/../node_modules/node-*-* "$(dirname "$(readlink -f "$_aduan_node")")/.."; do
  if [ -f "$_aduan_dir/include/node/node.h" ]; then
    npm_config_nodedir="$(cd "$_aduan_dir" && pwd)"
    export npm_config_nodedir
    break
  fi
done
unset _aduan_root _aduan_tools _aduan_node _aduan_dir
unset -f _aduan_major
echo "node $(node --version) ($(command -v node)); headers: ${npm_config_nodedir:-node-gyp default}" >&2
