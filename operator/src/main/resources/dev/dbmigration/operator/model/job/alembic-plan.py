# The plan of an Alembic run, run as python3 -c with the action, start revision and target as
# arguments (never as code). No database: the SQL is rendered offline, as
# `alembic ACTION START:TARGET --sql` renders it, and the script directory's heads are listed.
import io, json, os, sys
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
action, start, target = sys.argv[1:4]
sql = io.StringIO()
config = Config(os.environ.get("ALEMBIC_CONFIG", "alembic.ini"), output_buffer=sql)
facts = {"heads": list(ScriptDirectory.from_config(config).get_heads()), "error": None}
try:
    (command.upgrade if action == "upgrade" else command.downgrade)(
        config, start + ":" + target, sql=True)
except BaseException as e:  # env.py may exit, or may not know offline mode: that is the answer
    facts["error"] = (type(e).__name__ + ": " + str(e))[-2000:]
sys.stdout.flush()
sys.stderr.flush()
print("\n-----BEGIN DBMIGRATION PLAN " + json.dumps(facts) + "-----")
print(sql.getvalue(), end="")
print("\n-----END DBMIGRATION PLAN-----", flush=True)
