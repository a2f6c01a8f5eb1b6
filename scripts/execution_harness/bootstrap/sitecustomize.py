"""Put on PYTHONPATH by the keras3-lint harness: every Python process it starts runs offline."""
import k3l_harness_offline

k3l_harness_offline.install()
