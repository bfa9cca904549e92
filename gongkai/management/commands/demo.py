from django.core.management.base import BaseCommand

from gongkai import demo
from gongkai.credit.demo import ERROR_FILE
from gongkai.orgs.demo import logins


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）/ Load the demo district; running it again changes nothing."

    def handle(self, *args, **options):
        created = demo.load()
        if created:
            self.stdout.write(f"演示数据已载入 / demo data loaded: {len(created)} items created")
        else:
            self.stdout.write("演示数据已存在，未作改动 / demo data already present, nothing changed")
        self.stdout.write("\n演示账号 / demo logins (http://127.0.0.1:8000/accounts/login/):")
        for username, password, name, role in logins():
            self.stdout.write(f"  {username:<10} {password:<20} {name}（{role}）")
        self.stdout.write(f"\n双公示示例文件（含错误）/ demo credit file with errors (for submitter): {ERROR_FILE}")
