import json, time
from datetime import datetime, timedelta
import frappe
def run(days=730):
    from complaint_mgmt.services import analytics
    end = datetime.combine(frappe.utils.getdate(), datetime.min.time())
    start = end - timedelta(days=int(days))
    t = time.perf_counter()
    result = analytics.rebuild(str(start.date()), str(end.date()))
    result["wall_s"] = round(time.perf_counter() - t, 1)
    result["rollup_rows"] = frappe.db.count("Complaint Daily Stat")
    print(json.dumps(result))
    with open("/tmp/analytics-1m-rebuild.json", "w") as fh:
        json.dump(result, fh)
