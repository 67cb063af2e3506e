"""一台一档 on the home page: equipment whose statutory inspection is due soon or past."""

from xiaoan.core.register_due import due_todos
from xiaoan.core.todos import provider
from xiaoan.equipment.registers import EQUIPMENT

provider(due_todos(EQUIPMENT))
