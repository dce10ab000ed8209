#!/bin/bash
# PIT on stogger.postgres one package at a time, each with the tests aimed at it, then the sum.
#
#   mutation/postgres-by-package.sh                 every group, in this order
#   mutation/postgres-by-package.sh write spool     only these groups
#
# Each group's reports go to stogger.postgres/target/pit-groups/<group>/ (kept when a later group
# is stopped), and the sum of every group found there is printed by mutation/PitUnion.java.
# A group's tests are a subset of the module's, so its score is a lower bound of what the whole
# suite kills (README: Mutation testing). Set STOGGER_TEST_DSN to use a running server.
set -euo pipefail
cd "$(dirname "$0")/.."

P='~stogger\.postgres\.'
declare -A CLASSES TESTS
CLASSES[config]="${P}internal\.config\..*"
TESTS[config]="${P}(internal\.config\..*|PostgresSettingsTest|HandlerConfigurationTest|SpoolSettingsTest|SettingsReachTheDriverTest|PostgresConnectionTest|HandlerLevelAndFilterTest|PostgresHandlerTest)"
CLASSES[top]="${P}(internal\.)?[A-Z].*"
TESTS[top]="${P}(PostgresHandlerTest|HandlerConfigurationTest|HandlerLevelAndFilterTest|PostgresSettingsTest|SpoolSettingsTest|HandlerJmxTest|SyncModeTest|LongValuesTest|IndexNamesTest|SettingsReachTheDriverTest|PostgresConnectionTest|LossReportingTest|AsyncBatchingTest|LeastPrivilegeTest|AsyncModeTest|SpoolReplayTest|ReconnectTest|internal\.connection\.UnixDomainSocket.*)"
CLASSES[loss]="${P}internal\.loss\..*"
TESTS[loss]="${P}(internal\.loss\..*|LossReportingTest|HandlerJmxTest|PostgresHandlerTest|SyncModeTest|AsyncBatchingTest|ReconnectTest|internal\.write\.(LiveBatchWriterTest|SyncWriterTest))"
CLASSES[connection]="${P}internal\.connection\..*"
TESTS[connection]="${P}(internal\.connection\..*|ReconnectTest|FailoverTest|PostgresConnectionTest|TlsTest|LeastPrivilegeTest|SettingsReachTheDriverTest|PostgresHandlerTest)"
CLASSES[spool]="${P}internal\.spool\..*"
TESTS[spool]="${P}(internal\.spool\..*|SpoolReplayTest)"
CLASSES[write]="${P}internal\.write\..*"
TESTS[write]="${P}(internal\.write\..*|AsyncModeTest|SyncModeTest|GroupCommitTest|AsyncBatchingTest|ReconnectTest)"

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(config top loss spool connection write)
for group in "${groups[@]}"; do
    [ -n "${CLASSES[$group]:-}" ] || { echo "unknown group $group (config top loss spool connection write)" >&2; exit 2; }
done

mvn -B -q -N install -DskipTests
mvn -B -q -pl stogger.core install -DskipTests
out=stogger.postgres/target/pit-groups
mkdir -p "$out"
for group in "${groups[@]}"; do
    echo "== $group: $(date +%T)"
    mvn -B -pl stogger.postgres process-test-classes org.pitest:pitest-maven:1.30.1:mutationCoverage -Pmutation \
        -Dfeatures=+progress "-Dpit.targetClasses=${CLASSES[$group]}" "-Dpit.targetTests=${TESTS[$group]}" \
        | grep -E "^>> |BUILD|ERROR"
    rm -rf "${out:?}/$group"
    cp -r stogger.postgres/target/pit-reports "$out/$group"
    echo "== $group done: $(date +%T)"
done
java mutation/PitUnion.java "$out"/*/mutations.xml
