// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {DatanetRegistry} from "../../src/l2/DatanetRegistry.sol";

/// @notice Contributions, reviews and fee withdrawals on two Datanets by three contributors.
contract DatanetHandler is Test {
    DatanetRegistry internal reg;
    address[2] internal owners;
    address[3] internal contributors;
    uint256 internal nonce;
    uint256 public ghostFeesIn;
    uint256 public ghostFeesOut;
    uint256 public ghostContributions;

    constructor(DatanetRegistry r, address[2] memory owners_, address[3] memory contributors_) {
        reg = r;
        owners = owners_;
        contributors = contributors_;
    }

    function contribute(uint8 net, uint8 who, uint64 size) external {
        uint256 id = net % 2 + 1;
        address c = contributors[who % 3];
        DatanetRegistry.Datanet memory d = reg.getDatanet(id);
        size = uint64(bound(size, 1, d.maxFileBytes));
        vm.deal(c, d.fee);
        vm.prank(c);
        try reg.contribute{value: d.fee}(id, keccak256(abi.encode(++nonce)), size, "") {
            ghostFeesIn += d.fee;
            ghostContributions += 1;
        } catch {} // daily limits
    }

    function review(uint256 contributionId, bool approve) external {
        uint256 n = reg.contributionCount();
        if (n == 0) return;
        contributionId = bound(contributionId, 1, n);
        DatanetRegistry.Contribution memory c = reg.getContribution(contributionId);
        if (c.status != DatanetRegistry.Status.Pending) return;
        vm.prank(owners[c.datanetId - 1]);
        reg.review(contributionId, approve);
    }

    function withdraw(uint8 net) external {
        uint256 id = net % 2 + 1;
        uint256 amount = reg.getDatanet(id).feesAccrued;
        if (amount == 0) return;
        vm.prank(owners[id - 1]);
        reg.withdrawFees(id, payable(owners[id - 1]));
        ghostFeesOut += amount;
    }

    function nextDay() external {
        vm.warp(block.timestamp + 1 days);
    }
}

contract DatanetRegistryInvariantTest is Test {
    DatanetRegistry internal reg;
    DatanetHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        reg = new DatanetRegistry(makeAddr("gov"));
        address[2] memory owners = [makeAddr("o1"), makeAddr("o2")];
        vm.prank(owners[0]);
        reg.createDatanet("a", "", "", DatanetRegistry.Kind.Text, 0.1 ether, 4 * 1024 * 1024);
        vm.prank(owners[1]);
        reg.createDatanet("b", "", "", DatanetRegistry.Kind.Image, 0, 1024);
        handler = new DatanetHandler(reg, owners, [makeAddr("c1"), makeAddr("c2"), makeAddr("c3")]);
        targetContract(address(handler));
    }

    /// @notice The registry holds exactly the fees not yet withdrawn.
    function invariant_BalanceIsUnwithdrawnFees() public view {
        uint256 accrued = reg.getDatanet(1).feesAccrued + reg.getDatanet(2).feesAccrued;
        assertEq(address(reg).balance, accrued, "balance == accrued");
        assertEq(accrued, handler.ghostFeesIn() - handler.ghostFeesOut(), "accrued == in - out");
    }

    /// @notice Approved never exceeds submitted; counters match what happened.
    function invariant_CountersConsistent() public view {
        DatanetRegistry.Datanet memory a = reg.getDatanet(1);
        DatanetRegistry.Datanet memory b = reg.getDatanet(2);
        assertLe(a.approved, a.contributions, "approved <= submitted (1)");
        assertLe(b.approved, b.contributions, "approved <= submitted (2)");
        assertEq(uint256(a.contributions) + b.contributions, handler.ghostContributions(), "contributions");
        assertEq(reg.contributionCount(), handler.ghostContributions(), "count");
    }
}
