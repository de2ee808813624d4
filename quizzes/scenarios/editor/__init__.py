"""The one-page scenario editor in the admin: the form (structure.py, views.py), the checks
shown as the editor works (checks.py), the branch map (branch_map.py) and the starting
templates (starters.py)."""
